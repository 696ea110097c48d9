import type { IntegrityStats } from "../client/traffic";
import type { ClusterResult, ClusterTarget, ClusterWorkloadName } from "../results-cluster";

/** One workload of the cluster scenario, several instances against one, as the floors and the docs quote it. */
export interface ClusterComparison {
  workload: ClusterWorkloadName;
  instances: number;
  single: ClusterTarget | undefined;
  cluster: ClusterTarget | undefined;
  /** Server CPU (all instances) + Redis CPU per delivery, µs (median runs). */
  singleTotalMicros: number;
  clusterTotalMicros: number;
  /** clusterTotalMicros ÷ singleTotalMicros. */
  ratio: number;
  /** Extra server CPU per delivery of the cluster, µs: what crossing instances costs the servers. */
  hopServerMicros: number;
  /** Extra Redis CPU per delivery of the cluster, µs (NaN: Redis's CPU not readable). */
  hopRedisMicros: number;
}

const median = (s: { median: number } | null | undefined) => s?.median ?? Number.NaN;

/** Redis CPU that could not be read counts as 0 in the total, NaN in the hop. */
function totalMicros(t: ClusterTarget | undefined): number {
  if (!t || t.error) return Number.NaN;
  const redis = median(t.redisCpuMicrosPerDelivery);
  return median(t.serverCpuMicrosPerDelivery) + (Number.isFinite(redis) ? redis : 0);
}

export function clusterComparison(result: ClusterResult, workload: ClusterWorkloadName): ClusterComparison {
  const single = result.targets.find((t) => t.workload === workload && t.instances === 1);
  const cluster = result.targets.find((t) => t.workload === workload && t.instances === result.instances);
  const singleTotalMicros = totalMicros(single);
  const clusterTotalMicros = totalMicros(cluster);
  return {
    workload,
    instances: result.instances,
    single,
    cluster,
    singleTotalMicros,
    clusterTotalMicros,
    ratio: clusterTotalMicros / singleTotalMicros,
    hopServerMicros: median(cluster?.serverCpuMicrosPerDelivery) - median(single?.serverCpuMicrosPerDelivery),
    hopRedisMicros: median(cluster?.redisCpuMicrosPerDelivery) - median(single?.redisCpuMicrosPerDelivery),
  };
}

export const CLUSTER_WORKLOADS: readonly ClusterWorkloadName[] = ["group", "one-to-one"];

/** Integrity of every cluster run together (each fleet's traffic covers both workloads: counted once per layout). */
export function clusterIntegrity(result: ClusterResult): IntegrityStats | null {
  const perLayout = new Map<number, IntegrityStats>();
  for (const t of result.targets) if (t.integrity) perLayout.set(t.instances, t.integrity);
  if (perLayout.size === 0) return null;
  const total: IntegrityStats = { sent: 0, lost: 0, reordered: 0, duplicates: 0, refused: 0, unexpectedCloses: 0 };
  for (const i of perLayout.values()) {
    total.sent += i.sent;
    total.lost += i.lost;
    total.reordered += i.reordered;
    total.duplicates += i.duplicates;
    total.refused += i.refused;
    total.unexpectedCloses += i.unexpectedCloses;
  }
  return total;
}
