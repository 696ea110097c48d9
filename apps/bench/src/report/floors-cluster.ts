import type { FloorCheck } from "../results";
import type { ClusterResult } from "../results-cluster";
import { CLUSTER_WORKLOADS, clusterComparison, clusterIntegrity } from "./cluster-figures";

/** Several instances may cost more CPU per delivery than one (the Redis hop), but not more than this. */
export const CLUSTER_CPU_RATIO_LIMIT = 1.5;

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en", { maximumFractionDigits: digits }) : "n/a";

/** The floors of the cluster scenario (issue 16). */
export function clusterFloors(result: ClusterResult | null | undefined): FloorCheck[] {
  if (!result) return [];
  const floors: FloorCheck[] = [];
  for (const workload of CLUSTER_WORKLOADS) {
    const c = clusterComparison(result, workload);
    const error = c.cluster?.error ?? c.single?.error;
    floors.push({
      id: `cluster-cpu-${workload}`,
      floor: `${result.instances} instances (${workload}): server + Redis CPU per delivery ≤ ${CLUSTER_CPU_RATIO_LIMIT}× one instance's on the same MariaDB + Redis`,
      measured: error
        ? `not measured: ${error}`
        : `${fmt(c.clusterTotalMicros, 1)} µs vs ${fmt(c.singleTotalMicros, 1)} µs (${fmt(c.ratio, 2)}×)`,
      met: Number.isFinite(c.ratio) ? c.ratio <= CLUSTER_CPU_RATIO_LIMIT : null,
    });
  }
  const integrity = clusterIntegrity(result);
  floors.push({
    id: "cluster-integrity",
    floor: `${result.instances} instances and one: zero lost, reordered or duplicated deliveries`,
    measured: integrity
      ? `${fmt(integrity.sent)} messages: ${fmt(integrity.lost)} lost deliveries, ${fmt(integrity.reordered)} reordered, ${fmt(integrity.duplicates)} duplicated`
      : "not measured",
    met: integrity ? integrity.lost === 0 && integrity.reordered === 0 && integrity.duplicates === 0 : null,
  });
  return floors;
}
