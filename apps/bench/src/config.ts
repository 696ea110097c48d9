/** What a `pnpm bench` run does, in quick (under 2 minutes) and full (~10–15 minutes) mode. */
export interface BenchConfig {
  mode: "quick" | "full";
  /** Measured runs per system and scenario (alternated between systems); medians are over these. */
  repetitions: number;
  oneToOne: {
    users: number;
    warmupSeconds: number;
    stepSeconds: number;
    startRate: number;
    /** Each passing step multiplies the rate by this until one fails; then bisection. */
    growth: number;
    refineSteps: number;
    maxRate: number;
    p99LimitMs: number;
    halfSeconds: number;
    drainTimeoutMs: number;
  };
  group: {
    users: number;
    sizes: number[];
    sendersPerRoom: number;
    /** Deliveries "in the air" at most (window in messages = this / room size). */
    windowDeliveries: number;
    /** Each measured run is sized from the warm-up's rate to last about this long, for every system alike. */
    runSeconds: number;
    warmupDeliveries: number;
  };
  /** Memory varies little from run to run, and 20,000 logins take minutes: fewer runs than elsewhere. */
  idle: { connections: number; repetitions: number };
  /** Several mpchat instances on MariaDB + Redis against one instance on the same pair. */
  cluster: {
    instances: number;
    users: number;
    groupSize: number;
    sendersPerRoom: number;
    windowDeliveries: number;
    runSeconds: number;
    warmupDeliveries: number;
  };
  durable: { users: number; concurrency: number; seconds: number; warmupSeconds: number };
  store: { messages: number; conversations: number; concurrency: number };
  upload: {
    /** Throughput: this many ~1 MiB JPEGs, each with its own clientMediaId, `concurrency` in flight. */
    images: number;
    concurrency: number;
    /** Memory: this many uploads of ~10 MiB at once (file: random bytes; image: a 12 MP JPEG). */
    burst: number;
  };
  /** Content checks on the send path (issue 14): closed loop, pairs, checks off / word list / WeChat. */
  checks: { users: number; concurrency: number; seconds: number; warmupSeconds: number; wechatDelayMs: number };
  /**
   * Image messages (issue 16): closed loop for throughput, then an open loop for latency at a third of the lower
   * of the two warm-up throughputs (texts, images), at most `maxRate`; texts alike.
   */
  images: {
    users: number;
    concurrency: number;
    seconds: number;
    warmupSeconds: number;
    maxRate: number;
    jpegs: number;
  };
}

export function benchConfig(mode: "quick" | "full"): BenchConfig {
  const quick = mode === "quick";
  return {
    mode,
    repetitions: quick ? 1 : 3,
    oneToOne: {
      users: 1000,
      warmupSeconds: quick ? 0.5 : 2,
      stepSeconds: quick ? 1 : 3,
      startRate: 2000,
      growth: quick ? 2 : 1.5,
      refineSteps: quick ? 1 : 2,
      maxRate: 200_000,
      p99LimitMs: 50,
      halfSeconds: quick ? 1.5 : 5,
      drainTimeoutMs: 15_000,
    },
    group: {
      users: 1000,
      sizes: [10, 100, 1000],
      sendersPerRoom: 20,
      windowDeliveries: 4000,
      runSeconds: quick ? 0.8 : 4,
      warmupDeliveries: quick ? 10_000 : 50_000,
    },
    idle: { connections: quick ? 1000 : 20_000, repetitions: 1 },
    cluster: {
      instances: 3,
      users: quick ? 300 : 1000,
      groupSize: quick ? 30 : 100,
      sendersPerRoom: 10,
      windowDeliveries: 2000,
      runSeconds: quick ? 0.8 : 4,
      warmupDeliveries: quick ? 5000 : 30_000,
    },
    durable: { users: quick ? 1000 : 2000, concurrency: 500, seconds: quick ? 2 : 8, warmupSeconds: quick ? 0.5 : 2 },
    store: { messages: quick ? 20_000 : 100_000, conversations: 200, concurrency: 1000 },
    upload: { images: quick ? 40 : 200, concurrency: 4, burst: 20 },
    checks: {
      users: quick ? 200 : 1000,
      concurrency: quick ? 100 : 500,
      seconds: quick ? 2 : 6,
      warmupSeconds: quick ? 0.5 : 2,
      wechatDelayMs: 50,
    },
    images: {
      users: quick ? 200 : 1000,
      concurrency: quick ? 100 : 500,
      seconds: quick ? 2 : 5,
      warmupSeconds: quick ? 0.5 : 2,
      maxRate: quick ? 1000 : 5000,
      jpegs: 4,
    },
  };
}
