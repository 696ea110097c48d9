import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { GatewayMetrics } from "./gateway-metrics";
import { Tally } from "./tally";

/** Latency buckets in seconds: 0.5 ms … 5 s. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Messages per group-commit transaction. */
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

let processMetrics: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, event loop lag, GC) describe the
 * process, not an app: one set per process, however many apps it runs (tests
 * build many; each set would keep its own GC observer and lag monitor running).
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export interface AppMetricsOptions {
  /** Open WebSocket connections of this instance, read at scrape time. */
  connections: () => number;
}

/**
 * Every metric of one app instance, in its own Registry (not prom-client's global
 * one), so that several apps in one process (tests) do not collide; the process
 * metrics are added at scrape time.
 * Names are documented in docs/operations.md ("What to watch").
 */
export class AppMetrics implements GatewayMetrics {
  readonly registry = new Registry();
  // Counted per message on the send path: tallied, taken into their Counters at scrape.
  private readonly framesIn = new Tally();
  private readonly framesOut = new Tally();
  private readonly busPublishedOk = new Tally();
  private readonly busPublishedError = new Tally();
  private readonly busReceived = new Tally();
  private readonly errors: Counter<"transport" | "code">;
  private readonly ackLatency: Histogram;
  private readonly pushLatency: Histogram<"type">;
  private readonly messagesStored: Counter;
  private readonly commitBatch: Histogram;
  private readonly commitDuration: Histogram;
  private readonly commitFailures: Counter;
  private readonly httpRequests: Counter<"method" | "route" | "status">;

  constructor(options: AppMetricsOptions) {
    const registers = [this.registry];
    new Gauge({
      name: "mpchat_ws_connections",
      help: "Open WebSocket connections on this instance (authenticated or not)",
      registers,
      collect() {
        this.set(options.connections());
      },
    });
    const { framesIn, framesOut, busPublishedOk, busPublishedError, busReceived } = this;
    new Counter({
      name: "mpchat_ws_frames_received_total",
      help: "Client frames received, by type (invalid: not parsable)",
      labelNames: ["type"],
      registers,
      collect() {
        framesIn.drain((type, count) => this.inc({ type }, count));
      },
    });
    new Counter({
      name: "mpchat_ws_frames_sent_total",
      help: "Server frames written to sockets, by type (a push counts once per socket)",
      labelNames: ["type"],
      registers,
      collect() {
        framesOut.drain((type, count) => this.inc({ type }, count));
      },
    });
    this.errors = new Counter({
      name: "mpchat_errors_total",
      help: "Errors answered to clients, by transport (ws, http) and protocol error code",
      labelNames: ["transport", "code"],
      registers,
    });
    this.ackLatency = new Histogram({
      name: "mpchat_ack_latency_seconds",
      help: "From a send frame's arrival to its ack written (includes the commit)",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.pushLatency = new Histogram({
      name: "mpchat_push_fanout_seconds",
      help: "From a bus event's arrival at this instance to its frame written to every local recipient socket",
      labelNames: ["type"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.messagesStored = new Counter({
      name: "mpchat_messages_stored_total",
      help: "Messages committed by this instance (duplicates not counted)",
      registers,
    });
    this.commitBatch = new Histogram({
      name: "mpchat_commit_batch_size",
      help: "Messages per group-commit transaction",
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.commitDuration = new Histogram({
      name: "mpchat_commit_duration_seconds",
      help: "Duration of one group-commit transaction",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.commitFailures = new Counter({
      name: "mpchat_commit_failures_total",
      help: "Group-commit transactions that failed (their sends were answered with an error)",
      registers,
    });
    new Counter({
      name: "mpchat_bus_published_total",
      help: "Events published on the bus, by type and result (ok, error)",
      labelNames: ["type", "result"],
      registers,
      collect() {
        busPublishedOk.drain((type, count) => this.inc({ type, result: "ok" }, count));
        busPublishedError.drain((type, count) => this.inc({ type, result: "error" }, count));
      },
    });
    new Counter({
      name: "mpchat_bus_received_total",
      help: "Events this instance received from the bus and handed to its gateway, by type",
      labelNames: ["type"],
      registers,
      collect() {
        busReceived.drain((type, count) => this.inc({ type }, count));
      },
    });
    this.httpRequests = new Counter({
      name: "mpchat_http_requests_total",
      help: "HTTP requests answered, by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
  }

  /** The text of GET /metrics: this app's metrics and the process's. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([processRegistry(), this.registry]);
    return { contentType: this.registry.contentType, text: await merged.metrics() };
  }

  frameReceived(type: string): void {
    this.framesIn.add(type);
  }

  framesSent(type: string, count: number): void {
    if (count > 0) this.framesOut.add(type, count);
  }

  errorSent(code: string): void {
    this.errors.inc({ transport: "ws", code });
  }

  ackWritten(seconds: number): void {
    this.ackLatency.observe(seconds);
  }

  pushed(eventType: string, seconds: number): void {
    this.pushLatency.observe({ type: eventType }, seconds);
  }

  batchCommitted(size: number, stored: number, seconds: number): void {
    this.commitBatch.observe(size);
    this.commitDuration.observe(seconds);
    if (stored > 0) this.messagesStored.inc(stored);
  }

  batchFailed(): void {
    this.commitFailures.inc();
  }

  busPublish(type: string, ok: boolean): void {
    (ok ? this.busPublishedOk : this.busPublishedError).add(type);
  }

  busReceive(type: string): void {
    this.busReceived.add(type);
  }

  httpAnswered(method: string, route: string, status: number, errorCode: string | undefined): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    if (errorCode) this.errors.inc({ transport: "http", code: errorCode });
  }
}
