import type { Registry } from "prom-client";

/** The registry's numbers at one time (cumulative). */
interface Snapshot {
  at: number;
  stored: number;
  /** Ack latency histogram: upper bound (seconds) → cumulative count. */
  ackBuckets: Map<number, number>;
}

export interface Rates {
  connections: number;
  messagesPerSecond: number;
  ackP99Ms: number;
}

const MESSAGES_STORED = "mpchat_messages_stored_total";
const ACK_LATENCY = "mpchat_ack_latency_seconds";
const CONNECTIONS = "mpchat_ws_connections";

interface Value {
  value: number;
  labels: Partial<Record<string, string | number>>;
  /** Set on a histogram's values (`…_bucket`, `…_sum`, `…_count`). */
  metricName?: string;
}

async function valuesOf(registry: Registry, name: string): Promise<Value[]> {
  const metric = registry.getSingleMetric(name);
  return metric ? (await metric.get()).values : [];
}

/**
 * The console's numbers, read from the app's prom-client registry (what /metrics
 * exposes): messages stored per second and the ack p99 over the time since the
 * previous sample (the difference of the cumulative counters and buckets), so a
 * chart polling every few seconds shows now, not the average since start.
 */
export class StatsSampler {
  private previous: Snapshot | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly now: () => number,
  ) {}

  async sample(): Promise<Rates> {
    const current = await this.snapshot();
    const [connections] = await valuesOf(this.registry, CONNECTIONS);
    const previous = this.previous ?? { at: current.at, stored: current.stored, ackBuckets: new Map() };
    this.previous = current;
    const seconds = (current.at - previous.at) / 1000;
    return {
      connections: connections?.value ?? 0,
      messagesPerSecond: seconds > 0 ? round((current.stored - previous.stored) / seconds) : 0,
      ackP99Ms: p99Ms(current.ackBuckets, previous.ackBuckets),
    };
  }

  private async snapshot(): Promise<Snapshot> {
    const [stored] = await valuesOf(this.registry, MESSAGES_STORED);
    const ackBuckets = new Map<number, number>();
    for (const value of await valuesOf(this.registry, ACK_LATENCY)) {
      const le = value.labels.le;
      if (value.metricName !== `${ACK_LATENCY}_bucket` || le === undefined) continue;
      ackBuckets.set(le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), value.value);
    }
    return { at: this.now(), stored: stored?.value ?? 0, ackBuckets };
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The upper bound (ms) of the bucket holding the 99th percentile of the observations between two snapshots; 0 for none. */
function p99Ms(current: Map<number, number>, previous: Map<number, number>): number {
  const bounds = [...current.keys()].sort((a, b) => a - b);
  const countAt = (bound: number) => (current.get(bound) ?? 0) - (previous.get(bound) ?? 0);
  const total = countAt(Number.POSITIVE_INFINITY);
  if (total <= 0) return 0;
  const finite = bounds.filter(Number.isFinite);
  for (const bound of finite) {
    if (countAt(bound) >= total * 0.99) return round(bound * 1000);
  }
  // Past the largest bucket: report that bound (the histogram knows no more).
  return round((finite.at(-1) ?? 0) * 1000);
}
