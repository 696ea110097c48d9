import type { IntegrityStats } from "./client/traffic";
import type { Spread } from "./measure/spread";

/** The cluster scenario's part of results/latest.json (see scenarios/cluster.ts). */

export type ClusterWorkloadName = "group" | "one-to-one";

export interface ClusterRun {
  deliveries: number;
  wallSeconds: number;
  /** All server processes together. */
  serverCpuSeconds: number;
  /** redis-server's CPU in the window (null: no local redis-server pid). */
  redisCpuSeconds: number | null;
  /** MariaDB's CPU in the window. */
  databaseCpuSeconds: number | null;
  deliveriesPerServerCpuSecond: number;
  deliveriesPerSecond: number;
  pushP99Ms: number;
  completed: boolean;
  errors: Record<string, number>;
}

export interface ClusterTarget {
  workload: ClusterWorkloadName;
  /** Server instances (1: the single-instance reference on the same MariaDB and Redis). */
  instances: number;
  roomSize: number;
  rooms: number;
  deliveriesPerServerCpuSecond: Spread;
  deliveriesPerSecond: Spread;
  /** Server CPU (all instances) per delivery, µs. */
  serverCpuMicrosPerDelivery: Spread;
  redisCpuMicrosPerDelivery: Spread | null;
  databaseCpuMicrosPerDelivery: Spread | null;
  pushP99Ms: Spread;
  runs: ClusterRun[];
  integrity: IntegrityStats | null;
  error: string | null;
}

export interface ClusterResult {
  /** Instances of the cluster run (compared with one). */
  instances: number;
  users: number;
  groupSize: number;
  sendersPerRoom: number;
  windowDeliveries: number;
  runSeconds: number;
  targets: ClusterTarget[];
}
