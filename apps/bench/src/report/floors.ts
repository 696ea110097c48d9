import type { BenchResults, FloorCheck } from "../results";
import type { Target } from "../systems/systems";
import { clusterFloors } from "./floors-cluster";
import { sendPathFloors } from "./send-path-floors";

/** The floors of issue 7, judged on the medians of this run. */

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString("en", { maximumFractionDigits: digits }) : "n/a";

/** Peak RSS growth allowed during the upload bursts: half of what 20 whole 10 MiB uploads would take. */
const UPLOAD_GROWTH_LIMIT_MIB = 100;

export function checkFloors(results: BenchResults): FloorCheck[] {
  const floors: FloorCheck[] = [];

  for (const target of ["mpchat-mariadb", "mpchat-sqlite"] as const) {
    const store = target === "mpchat-mariadb" ? "MariaDB" : "SQLite";
    const durable = results.durable?.targets.find((t) => t.target === target);
    const rate = durable?.ackedPerSecond.median ?? Number.NaN;
    const p99 = durable?.ackP99Ms.median ?? Number.NaN;
    const generator = durable?.generatorCpuUtilisation.median ?? Number.NaN;
    floors.push({
      id: `e2e-${target}`,
      floor: `End-to-end durable ≥ 20,000 msg/s on ${store}, ack p99 < 100 ms`,
      measured: durable?.error
        ? `not measured: ${durable.error}`
        : `${fmt(rate)} msg/s, ack p99 ${fmt(p99, 1)} ms (load generator CPU ${fmt(generator * 100)}%)`,
      met: Number.isFinite(rate) ? rate >= 20_000 && p99 < 100 : null,
    });
  }

  for (const store of ["mariadb", "sqlite"] as const) {
    const alone = results.storeAlone?.targets.find((t) => t.store === store);
    const rate = alone?.messagesPerSecond.median ?? Number.NaN;
    floors.push({
      id: `store-${store}`,
      floor: `Store alone ≥ 50,000 msg/s on ${store === "mariadb" ? "MariaDB" : "SQLite"}`,
      measured: alone?.error ? `not measured: ${alone.error}` : `${fmt(rate)} msg/s`,
      met: Number.isFinite(rate) ? rate >= 50_000 : null,
    });
  }

  for (const size of results.group ? [...new Set(results.group.targets.map((t) => t.size))] : []) {
    const of = (target: Target) =>
      results.group?.targets.find((t) => t.target === target && t.size === size)?.deliveriesPerServerCpuSecond.median ??
      Number.NaN;
    const mpchat = of("mpchat-sqlite");
    const ws = of("ws");
    const socketio = of("socketio");
    floors.push({
      id: `fanout-ws-${size}`,
      floor: `Rooms of ${size}: deliveries per server CPU-s ≥ 0.5× bare ws`,
      measured: `${fmt(mpchat)} vs ${fmt(ws)} (${fmt(mpchat / ws, 2)}×)`,
      met: Number.isFinite(mpchat / ws) ? mpchat / ws >= 0.5 : null,
    });
    floors.push({
      id: `fanout-socketio-${size}`,
      floor: `Rooms of ${size}: deliveries per server CPU-s ≥ 2× Socket.IO`,
      measured: `${fmt(mpchat)} vs ${fmt(socketio)} (${fmt(mpchat / socketio, 2)}×)`,
      met: Number.isFinite(mpchat / socketio) ? mpchat / socketio >= 2 : null,
    });
  }

  const oneToOne = results.oneToOne?.targets.find((t) => t.target === "mpchat-sqlite");
  if (results.oneToOne) {
    const p99 = oneToOne?.halfPushP99Ms.median ?? Number.NaN;
    floors.push({
      id: "one-to-one-p99",
      floor: "One-to-one p99 send → peer push < 10 ms at half the saturation rate",
      measured: oneToOne?.error
        ? `not measured: ${oneToOne.error}`
        : `${fmt(p99, 1)} ms at ${fmt(oneToOne?.halfRate ?? Number.NaN)} msg/s (saturation ${fmt(oneToOne?.saturationRate.median ?? Number.NaN)} msg/s)`,
      met: Number.isFinite(p99) ? p99 < 10 : null,
    });
  }

  if (results.idle) {
    // Judged on heap + external after GC: RSS keeps pages the heap grew into
    // earlier (mpchat's logins happen before the baseline), so its difference
    // under-counts some systems and over-counts others; both are in the table.
    const of = (target: Target) => results.idle?.targets.find((t) => t.target === target);
    const js = (target: Target) => of(target)?.jsBytesPerConnection.median ?? Number.NaN;
    const rss = (target: Target) => of(target)?.rssBytesPerConnection.median ?? Number.NaN;
    const mpchat = js("mpchat-sqlite");
    const ws = js("ws");
    const socketio = js("socketio");
    const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;
    floors.push({
      id: "idle-ws",
      floor: "Idle memory per connection ≤ 2× bare ws",
      measured: `${kib(mpchat)} vs ${kib(ws)} heap+external (${fmt(mpchat / ws, 2)}×); RSS ${kib(rss("mpchat-sqlite"))} vs ${kib(rss("ws"))}; at ${fmt(results.idle.connections)} connections`,
      met: Number.isFinite(mpchat / ws) ? mpchat <= 2 * ws : null,
    });
    floors.push({
      id: "idle-socketio",
      floor: "Idle memory per connection below Socket.IO",
      measured: `${kib(mpchat)} vs ${kib(socketio)} heap+external; RSS ${kib(rss("mpchat-sqlite"))} vs ${kib(rss("socketio"))}`,
      met: Number.isFinite(mpchat / socketio) ? mpchat < socketio : null,
    });
  }

  const comparisonOf = (kind: string) => {
    const reference = results.upload?.bursts.find((b) => b.reference && b.kind === kind);
    const growth = reference?.growthBytes.median ?? Number.NaN;
    return reference && Number.isFinite(growth)
      ? `; ${reference.uploads} at once: +${fmt(growth / 1024 / 1024, 1)} MiB`
      : "";
  };
  for (const burst of results.upload?.bursts.filter((b) => !b.reference) ?? []) {
    // Whole uploads held in memory would grow the server by uploads × size; streaming keeps it well below.
    const growth = burst.growthBytes.median;
    const all = burst.uploads * burst.bytesEach;
    const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
    floors.push({
      id: `upload-memory-${burst.kind}`,
      floor: `${burst.uploads} concurrent ~10 MiB ${burst.kind} uploads: server peak RSS grows < ${fmt(UPLOAD_GROWTH_LIMIT_MIB)} MiB`,
      measured: burst.error
        ? `not measured: ${burst.error}`
        : `+${mib(growth)} peak RSS over baseline (the uploads are ${mib(all)} together${comparisonOf(burst.kind)})`,
      met: Number.isFinite(growth) ? growth < UPLOAD_GROWTH_LIMIT_MIB * 1024 * 1024 : null,
    });
  }

  const integrities = [
    ...(results.oneToOne?.targets
      .filter((t) => t.target.startsWith("mpchat"))
      .map((t) => ["one-to-one", t.integrity] as const) ?? []),
    ...(results.group?.targets
      .filter((t) => t.target.startsWith("mpchat") && t.size === results.group?.targets[0]?.size)
      .map((t) => ["group", t.integrity] as const) ?? []),
    ...(results.durable?.targets
      .filter((t) => t.target.startsWith("mpchat"))
      .map((t) => [`durable ${t.target.slice("mpchat-".length)}`, t.integrity] as const) ?? []),
  ];
  if (integrities.length > 0) {
    const measured = integrities.filter(([, integrity]) => integrity !== null);
    const lost = measured.reduce((sum, [, i]) => sum + (i?.lost ?? 0), 0);
    const reordered = measured.reduce((sum, [, i]) => sum + (i?.reordered ?? 0), 0);
    const duplicates = measured.reduce((sum, [, i]) => sum + (i?.duplicates ?? 0), 0);
    const sent = measured.reduce((sum, [, i]) => sum + (i?.sent ?? 0), 0);
    floors.push({
      id: "integrity",
      floor: "Zero lost and zero reordered messages in every scenario (mpchat)",
      measured: `${fmt(sent)} messages in ${measured.map(([name]) => name).join(", ")}: ${fmt(lost)} lost deliveries, ${fmt(reordered)} reordered, ${fmt(duplicates)} duplicated`,
      met: measured.length > 0 ? lost === 0 && reordered === 0 && duplicates === 0 : null,
    });
  }
  floors.push(...clusterFloors(results.cluster));
  floors.push(...sendPathFloors(results));
  return floors;
}
