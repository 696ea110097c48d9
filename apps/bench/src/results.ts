import type { IntegrityStats } from "./client/traffic";
import type { Spread } from "./measure/spread";
import type { BatchCounters } from "./measure/store-counters";
import type { ClusterResult } from "./results-cluster";
import type { ChecksResult, ImagesResult } from "./results-send-path";
import type { Target } from "./systems/systems";

/** The JSON written to apps/bench/results/latest.json; docs/benchmarks.md and .svg are rendered from it. */

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  commit: string;
  mariadb: string | null;
}

export interface RunEnvironment {
  pinned: boolean;
  generatorCore: number | null;
  serverCore: number | null;
  pinningNote: string;
  /** Load average (1 min) when the run started and ended. */
  loadAverageStart: number;
  loadAverageEnd: number;
  /**
   * CPU used by processes other than the bench's own (other users of the
   * machine) during the run, in cores on average: the noise floor.
   */
  foreignBusyCores: number | null;
  /** All CPU of the machine used during the run, in cores on average. */
  totalBusyCores: number | null;
}

/** One open-loop step at one rate. */
export interface StepRecord {
  rate: number;
  passed: boolean;
  /** Why it failed (null when it passed). */
  reason: string | null;
  deliveredPerSecond: number;
  pushP50Ms: number;
  pushP99Ms: number;
  ackP99Ms: number;
  serverCpuUtilisation: number;
  generatorCpuUtilisation: number;
  maxLagMs: number;
  errors: Record<string, number>;
}

export interface OneToOneTarget {
  target: Target;
  saturationRate: Spread;
  /** The ladder hit its maximum rate without failing: saturation is at least this. */
  capped: boolean;
  ladders: StepRecord[][];
  halfRate: number;
  halfPushP50Ms: Spread;
  halfPushP99Ms: Spread;
  halfAckP99Ms: Spread;
  halfRuns: StepRecord[];
  integrity: IntegrityStats | null;
  error: string | null;
}

export interface OneToOneResult {
  users: number;
  p99LimitMs: number;
  stepSeconds: number;
  targets: OneToOneTarget[];
}

export interface FanoutRun {
  deliveries: number;
  wallSeconds: number;
  serverCpuSeconds: number;
  generatorCpuSeconds: number;
  deliveriesPerServerCpuSecond: number;
  deliveriesPerSecond: number;
  pushP99Ms: number;
  completed: boolean;
  errors: Record<string, number>;
}

export interface GroupTarget {
  target: Target;
  size: number;
  rooms: number;
  deliveriesPerServerCpuSecond: Spread;
  deliveriesPerSecond: Spread;
  pushP99Ms: Spread;
  generatorCpuUtilisation: Spread;
  runs: FanoutRun[];
  integrity: IntegrityStats | null;
  error: string | null;
}

export interface GroupResult {
  users: number;
  sendersPerRoom: number;
  windowDeliveries: number;
  /** Target length of a measured run (its size comes from the system's warm-up pace). */
  runSeconds: number;
  targets: GroupTarget[];
}

export interface IdleRun {
  connections: number;
  rssBytesPerConnection: number;
  heapBytesPerConnection: number;
  /** Heap + external (Buffers, ws internals) per connection. */
  jsBytesPerConnection: number;
  rssBefore: number;
  rssAfter: number;
  gcRan: boolean;
}

export interface IdleTarget {
  target: Target;
  connections: number;
  rssBytesPerConnection: Spread;
  jsBytesPerConnection: Spread;
  runs: IdleRun[];
  error: string | null;
}

export interface IdleResult {
  /** Connections measured: those asked for, or fewer when the open-file limit of one process is lower. */
  connections: number;
  /** Optional: results written before 20,000 connections were asked for have neither. */
  requestedConnections?: number;
  openFileHardLimit?: number | null;
  targets: IdleTarget[];
}

export interface DurableRun {
  ackedPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  pushP99Ms: number;
  serverCpuUtilisation: number;
  generatorCpuUtilisation: number;
  databaseCpuUtilisation: number | null;
  drained: boolean;
  errors: Record<string, number>;
  /** Sends refused for overload (`unavailable` + retryAfterMs) and retried until acked. */
  refused: number;
  /** Server CPU-µs per acked message (user + system, all threads); null when nothing was acked. */
  serverCpuMicrosPerMessage?: number | null;
  /** Group-commit batches in the window and their statements (mpchat only). */
  batch?: BatchCounters | null;
}

export interface DurableTarget {
  target: Target;
  durable: boolean;
  ackedPerSecond: Spread;
  ackP99Ms: Spread;
  pushP99Ms: Spread;
  generatorCpuUtilisation: Spread;
  serverCpuUtilisation: Spread;
  databaseCpuUtilisation: Spread | null;
  runs: DurableRun[];
  integrity: IntegrityStats | null;
  error: string | null;
}

export interface DurableResult {
  users: number;
  concurrency: number;
  seconds: number;
  targets: DurableTarget[];
}

export interface StoreAloneTarget {
  store: "sqlite" | "mariadb";
  messagesPerSecond: Spread;
  cpuUtilisation: Spread;
  error: string | null;
}

export interface StoreAloneResult {
  messages: number;
  conversations: number;
  concurrency: number;
  targets: StoreAloneTarget[];
}

export interface UploadThroughputRun {
  uploads: number;
  bytes: number;
  wallSeconds: number;
  serverCpuSeconds: number;
  generatorCpuSeconds: number;
  /** MiB of uploaded bytes per second of wall time. */
  mibPerSecond: number;
  /** Server CPU seconds per MiB uploaded. */
  serverCpuSecondsPerMib: number;
  /** Answers other than 201, by status. */
  errors: Record<string, number>;
}

export interface UploadBurstRun {
  kind: "image" | "file";
  uploads: number;
  bytesEach: number;
  /** RSS after a full GC just before the burst. */
  baselineRssBytes: number;
  peakRssBytes: number;
  /** VmHWM: the kernel's high-water mark, reset before the burst; sampled: /proc RSS every 5 ms. */
  peakSource: "VmHWM" | "sampled";
  wallSeconds: number;
  errors: Record<string, number>;
}

export interface UploadResult {
  /** The throughput phase: `count` images of `imageBytes`, `concurrency` uploads in flight. */
  throughput: {
    count: number;
    concurrency: number;
    imageBytes: number;
    imageWidth: number;
    imageHeight: number;
    mibPerSecond: Spread;
    serverCpuSecondsPerMib: Spread;
    runs: UploadThroughputRun[];
    error: string | null;
  };
  /** The memory phase: `uploads` concurrent uploads of about 10 MiB each, per kind, each on a fresh server. */
  bursts: {
    kind: "image" | "file";
    uploads: number;
    bytesEach: number;
    /** A comparison (as many images as the server decodes at once): shown, not judged by a floor. */
    reference: boolean;
    /** Peak RSS minus baseline, bytes. */
    growthBytes: Spread;
    runs: UploadBurstRun[];
    error: string | null;
  }[];
}

export interface FloorCheck {
  id: string;
  floor: string;
  measured: string;
  /** null: could not be measured in this run. */
  met: boolean | null;
}

export interface ProfileEntry {
  selfPercent: number;
  selfMs: number;
  functionName: string;
  location: string;
}

export interface ProfileSummary {
  scenario: string;
  target: Target;
  totalMs: number;
  top: ProfileEntry[];
  /** Self time grouped by package / area (node_modules package, server folder, node internals, GC). */
  byArea: Array<{ area: string; selfPercent: number }>;
}

export interface BenchResults {
  schema: 1;
  mode: "quick" | "full";
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  environment: RunEnvironment;
  repetitions: number;
  oneToOne: OneToOneResult | null;
  group: GroupResult | null;
  idle: IdleResult | null;
  durable: DurableResult | null;
  storeAlone: StoreAloneResult | null;
  /** Optional: results written before the upload scenario existed have none. */
  upload?: UploadResult | null;
  /** Optional: results written before the cluster scenario existed have none. */
  cluster?: ClusterResult | null;
  /** Content checks on the send path, and image messages (optional like `upload`). */
  checks?: ChecksResult | null;
  images?: ImagesResult | null;
  floors: FloorCheck[];
  profiles: ProfileSummary[];
  notes: string[];
}
