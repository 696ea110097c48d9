import type { BenchResults, IdleTarget } from "../results";
import type { Target } from "../systems/systems";
import { clusterComparison } from "./cluster-figures";

/**
 * The figures of the operator section ("What one instance serves, and what to
 * add"), each computed from the run's results; NaN where the run did not
 * measure it (the section then leaves the sentence out).
 */

/** Idle connections one node is sized for in the projection. */
export const PROJECTED_CONNECTIONS = 100_000;
/** The section's one modelling assumption: an active user sends this many messages per minute. */
export const MESSAGES_PER_USER_PER_MINUTE = 1;

export interface IdleProjection {
  connections: number;
  /** RSS of the fresh server before the connections opened (median over runs). */
  baseRssBytes: number;
  /** The larger of RSS and heap + external per connection: RSS can under-count (see section 3). */
  perConnectionBytes: number;
  /** baseRssBytes + PROJECTED_CONNECTIONS × perConnectionBytes. */
  projectedBytes: number;
}

const middle = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const m = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[m] as number) : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
};

export function idleProjection(t: IdleTarget | undefined, connections = PROJECTED_CONNECTIONS): IdleProjection {
  const baseRssBytes = middle(t?.runs.map((r) => r.rssBefore) ?? []);
  const perConnectionBytes = Math.max(
    t?.rssBytesPerConnection.median ?? Number.NaN,
    t?.jsBytesPerConnection.median ?? Number.NaN,
  );
  return {
    connections,
    baseRssBytes,
    perConnectionBytes,
    projectedBytes: baseRssBytes + connections * perConnectionBytes,
  };
}

export interface StoreFigures {
  target: Target;
  /** Open loop: highest one-to-one rate with push p99 within the bound, and half of it (the sustainable rate). */
  saturationRate: number;
  halfRate: number;
  halfPushP99Ms: number;
  /** Closed loop: stored-and-acked messages per second, and the ack p99 there. */
  durableAckedPerSecond: number;
  durableAckP99Ms: number;
  /** Users sending MESSAGES_PER_USER_PER_MINUTE at the half rate. */
  activeUsersAtHalfRate: number;
}

export function storeFigures(results: BenchResults, target: "mpchat-sqlite" | "mpchat-mariadb"): StoreFigures {
  const one = results.oneToOne?.targets.find((t) => t.target === target && !t.error);
  const durable = results.durable?.targets.find((t) => t.target === target && !t.error);
  const halfRate = one && Number.isFinite(one.saturationRate.median) ? one.halfRate : Number.NaN;
  return {
    target,
    saturationRate: one?.saturationRate.median ?? Number.NaN,
    halfRate,
    halfPushP99Ms: one?.halfPushP99Ms.median ?? Number.NaN,
    durableAckedPerSecond: durable?.ackedPerSecond.median ?? Number.NaN,
    durableAckP99Ms: durable?.ackP99Ms.median ?? Number.NaN,
    activeUsersAtHalfRate: (halfRate * 60) / MESSAGES_PER_USER_PER_MINUTE,
  };
}

export interface DatabaseFigures {
  /** Acked messages per second of MariaDB CPU in the durable run (end to end). */
  messagesPerDatabaseCpuSecond: number;
  databaseCpuUtilisation: number;
  ackedPerSecond: number;
  /** The store alone on MariaDB (group commit, no sockets). */
  storeAloneMessagesPerSecond: number;
}

export function databaseFigures(results: BenchResults): DatabaseFigures {
  const durable = results.durable?.targets.find((t) => t.target === "mpchat-mariadb" && !t.error);
  const ackedPerSecond = durable?.ackedPerSecond.median ?? Number.NaN;
  const databaseCpuUtilisation = durable?.databaseCpuUtilisation?.median ?? Number.NaN;
  const alone = results.storeAlone?.targets.find((t) => t.store === "mariadb" && !t.error);
  return {
    messagesPerDatabaseCpuSecond: ackedPerSecond / databaseCpuUtilisation,
    databaseCpuUtilisation,
    ackedPerSecond,
    storeAloneMessagesPerSecond: alone?.messagesPerSecond.median ?? Number.NaN,
  };
}

export interface ScaleOutFigures {
  instances: number;
  /** Deliveries per server CPU-second, one instance and the cluster (group workload). */
  singlePerCpuSecond: number;
  clusterPerCpuSecond: number;
  /** Capacity of `instances` instances, each on a core of its own, relative to one: instances × cluster ÷ single. */
  capacityFactor: number;
  /** The same for the one-to-one workload (every message stored, both users on different instances). */
  oneToOneCapacityFactor: number;
  /** Redis CPU per delivery in the cluster run, µs, and the deliveries/s one Redis core would carry at that cost. */
  redisMicrosPerDelivery: number;
  deliveriesPerRedisCore: number;
}

export function scaleOutFigures(results: BenchResults): ScaleOutFigures | null {
  if (!results.cluster) return null;
  const c = clusterComparison(results.cluster, "group");
  const singlePerCpuSecond = c.single?.deliveriesPerServerCpuSecond.median ?? Number.NaN;
  const clusterPerCpuSecond = c.cluster?.deliveriesPerServerCpuSecond.median ?? Number.NaN;
  const redisMicrosPerDelivery = c.cluster?.redisCpuMicrosPerDelivery?.median ?? Number.NaN;
  const o = clusterComparison(results.cluster, "one-to-one");
  const oneToOneCapacityFactor =
    (o.instances * (o.cluster?.deliveriesPerServerCpuSecond.median ?? Number.NaN)) /
    (o.single?.deliveriesPerServerCpuSecond.median ?? Number.NaN);
  return {
    instances: c.instances,
    singlePerCpuSecond,
    clusterPerCpuSecond,
    capacityFactor: (c.instances * clusterPerCpuSecond) / singlePerCpuSecond,
    oneToOneCapacityFactor,
    redisMicrosPerDelivery,
    deliveriesPerRedisCore: redisMicrosPerDelivery > 0 ? 1e6 / redisMicrosPerDelivery : Number.NaN,
  };
}
