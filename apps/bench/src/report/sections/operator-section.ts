import type { BenchResults } from "../../results";
import { num } from "../format";
import {
  databaseFigures,
  idleProjection,
  MESSAGES_PER_USER_PER_MINUTE,
  PROJECTED_CONNECTIONS,
  scaleOutFigures,
  storeFigures,
} from "../operator-figures";
import type { SectionRenderer } from "./section";

/** Sentences whose figure the run did not measure are left out, never filled with a guess. */
const ok = (...values: number[]) => values.every(Number.isFinite);
const gib = (bytes: number) => num(bytes / 1024 ** 3, 2);
const mib = (bytes: number) => num(bytes / 1024 ** 2, 0);

function storeLines(results: BenchResults): string[] {
  const out: string[] = [];
  for (const target of ["mpchat-sqlite", "mpchat-mariadb"] as const) {
    const f = storeFigures(results, target);
    const store = target === "mpchat-sqlite" ? "SQLite" : "MariaDB";
    const parts: string[] = [];
    if (ok(f.saturationRate, f.halfRate))
      parts.push(
        `one-to-one chat keeps push p99 within ${results.oneToOne?.p99LimitMs ?? 50} ms up to ${num(f.saturationRate)} msg/s; plan for half, ${num(f.halfRate)} msg/s${ok(f.halfPushP99Ms) ? ` (push p99 there: ${num(f.halfPushP99Ms, 1)} ms)` : ""}, which is ${num(f.activeUsersAtHalfRate)} users each sending ${MESSAGES_PER_USER_PER_MINUTE} message a minute`,
      );
    if (ok(f.durableAckedPerSecond))
      parts.push(
        `flat out, ${num(f.durableAckedPerSecond)} stored-and-acked msg/s${ok(f.durableAckP99Ms) ? ` at ack p99 ${num(f.durableAckP99Ms, 1)} ms` : ""}`,
      );
    if (parts.length > 0) out.push(`- **${store}:** ${parts.join("; ")}.`);
  }
  return out;
}

function scaleOutLines(results: BenchResults): string[] {
  const s = scaleOutFigures(results);
  if (!s || !ok(s.singlePerCpuSecond, s.clusterPerCpuSecond)) return [];
  const out = [
    `- **More instances behind nginx** (MySQL/MariaDB and Redis required; sticky sessions are not needed, any instance serves any user): add one when peak traffic nears what one instance serves (the lines above), or for failover. In group chat, ${s.instances} instances made ${num(s.clusterPerCpuSecond)} deliveries per server CPU-second together against ${num(s.singlePerCpuSecond)} for one instance, so ${s.instances} instances on cores of their own carry about ${num(s.capacityFactor, 1)}× what one carries${ok(s.oneToOneCapacityFactor) ? `; in one-to-one chat (every message stored) about ${num(s.oneToOneCapacityFactor, 1)}×` : ""} (estimated from CPU per delivery: the bench ran all instances on one core; section 6).`,
  ];
  if (ok(s.redisMicrosPerDelivery, s.deliveriesPerRedisCore) && s.redisMicrosPerDelivery > 0)
    out.push(
      `- **Redis:** ${num(s.redisMicrosPerDelivery, 1)} µs of Redis CPU per delivery across ${s.instances} instances, about ${num(s.deliveriesPerRedisCore)} deliveries/s per Redis core at that cost.`,
    );
  return out;
}

function databaseLines(results: BenchResults): string[] {
  const d = databaseFigures(results);
  const parts: string[] = [];
  if (ok(d.ackedPerSecond, d.databaseCpuUtilisation, d.messagesPerDatabaseCpuSecond))
    parts.push(
      `at ${num(d.ackedPerSecond)} stored msg/s MariaDB used ${num(d.databaseCpuUtilisation * 100)}% of a core, so plan about one MariaDB core per ${num(d.messagesPerDatabaseCpuSecond)} stored messages per second at peak, all instances together`,
    );
  if (ok(d.storeAloneMessagesPerSecond))
    parts.push(`mpchat's store alone wrote ${num(d.storeAloneMessagesPerSecond)} msg/s to it (no sockets)`);
  return parts.length > 0 ? [`- **MySQL/MariaDB sizing:** ${parts.join("; ")}.`] : [];
}

function memoryLines(results: BenchResults): string[] {
  const mpchat = results.idle?.targets.find((t) => t.target === "mpchat-sqlite" && !t.error);
  const p = idleProjection(mpchat);
  if (!results.idle || !ok(p.baseRssBytes, p.perConnectionBytes)) return [];
  return [
    `- **Memory per ${num(PROJECTED_CONNECTIONS)} idle connections:** about ${gib(p.projectedBytes)} GiB per node: ${mib(p.baseRssBytes)} MiB for the server itself plus ${num(p.perConnectionBytes / 1024, 1)} KiB per connection (measured at ${num(results.idle.connections)} connections, section 3).`,
  ];
}

/** "What one instance serves, and what to add": sizing figures for operators, generated from this run. */
export const renderOperatorSection: SectionRenderer = (results) => {
  const lines = [...storeLines(results), ...scaleOutLines(results), ...databaseLines(results), ...memoryLines(results)];
  if (lines.length === 0) return [];
  return [
    "## What one instance serves, and what to add",
    "",
    `Every figure below comes from this run (${results.mode} mode, on the machine above: ${results.machine.cores} cores shared by the load generator and the servers); a bigger or quieter machine serves more. One instance uses one core for JavaScript.`,
    "",
    ...lines,
    "",
  ];
};
