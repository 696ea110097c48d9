import { CLUSTER_WORKLOADS, clusterComparison } from "../cluster-figures";
import { num, spread, markdownTable as table } from "../format";
import { errorsOf, integrityCells, type SectionRenderer } from "./section";

/** Section 6: several mpchat instances on MariaDB + Redis against one instance on the same pair. */
export const renderClusterSection: SectionRenderer = (results) => {
  const r = results.cluster;
  if (!r) return [];
  const out: string[] = [];
  out.push("## 6. Several instances (MariaDB + Redis)");
  out.push("");
  out.push(
    `${r.instances} mpchat instances (real processes, all on the server core) on one fresh MariaDB database and one Redis (a shared \`TOKEN_SECRET\`, a \`REDIS_PREFIX\` of the run's own), ${num(r.users)} users connected round-robin (user i to instance i mod ${r.instances}), against one instance on the same MariaDB and Redis: the difference is the Redis hop (each instance decodes every event off the channel and pushes to its own members). Two workloads over the same users, driven like section 2 (${num(r.windowDeliveries)} deliveries in flight, runs of about ${num(r.runSeconds, 1)} s): group rooms of ${num(r.groupSize)} with up to ${r.sendersPerRoom} senders each, and one-to-one pairs (the two users of a pair are always on different instances). Server CPU is all server processes together; Redis CPU is \`redis-server\`'s from /proc (it also serves anything else using that Redis during the run).`,
  );
  out.push("");
  out.push(
    table(
      [
        "Workload",
        "Instances",
        "Deliveries per server CPU-s",
        "Deliveries/s",
        "Server CPU per delivery (µs)",
        "Redis CPU per delivery (µs)",
        "MariaDB CPU per delivery (µs)",
        "Push p99 (ms)",
        "Lost",
        "Reordered",
        "Errors",
      ],
      r.targets.map((t) => [
        t.workload === "group" ? `group (rooms of ${num(t.roomSize)})` : "one-to-one",
        num(t.instances),
        t.error ? `failed: ${t.error}` : spread(t.deliveriesPerServerCpuSecond),
        spread(t.deliveriesPerSecond),
        spread(t.serverCpuMicrosPerDelivery, 1),
        spread(t.redisCpuMicrosPerDelivery, 1),
        spread(t.databaseCpuMicrosPerDelivery, 1),
        spread(t.pushP99Ms, 1),
        ...integrityCells(t.integrity),
        errorsOf(Object.assign({}, ...t.runs.map((run) => run.errors))) || "none",
      ]),
    ),
  );
  out.push("");
  for (const workload of CLUSTER_WORKLOADS) {
    const c = clusterComparison(r, workload);
    if (!Number.isFinite(c.ratio)) continue;
    out.push(
      `- ${workload}: the Redis hop costs ${num(c.hopServerMicros, 1)} µs of server CPU${Number.isFinite(c.hopRedisMicros) ? ` and ${num(c.hopRedisMicros, 1)} µs of Redis CPU` : ""} per delivery; ${r.instances} instances spend ${num(c.ratio, 2)}× one instance's server + Redis CPU per delivery.`,
    );
  }
  out.push("");
  return out;
};
