import type { IntegrityStats } from "./client/traffic";
import type { Spread } from "./measure/spread";

/** Results of the send-path scenarios (issues 14 and 16): content checks on the send path, image messages. */

/** One measured window of sends. */
export interface SendRun {
  /** closed: a fixed number of sends awaiting their ack (throughput); open: sends at a fixed rate (latency). */
  loop: "closed" | "open";
  sent: number;
  acked: number;
  ackedPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  pushP50Ms: number;
  pushP99Ms: number;
  serverCpuUtilisation: number;
  /** Server CPU time per acked message: the cost of a send, less blurred by machine load than throughput. */
  serverCpuMsPerMessage: number;
  generatorCpuUtilisation: number;
  /** Every ack and push arrived within the drain timeout. */
  drained: boolean;
  errors: Record<string, number>;
}

/** Medians (with min–max) over the runs of one loop kind. */
export interface SendSummary {
  ackedPerSecond: Spread;
  ackP50Ms: Spread;
  ackP99Ms: Spread;
  pushP99Ms: Spread;
  serverCpuUtilisation: Spread;
  serverCpuMsPerMessage: Spread;
  generatorCpuUtilisation: Spread;
}

/** off: no check; wordlist: CONTENT_WORDLIST only; wechat: CONTENT_CHECK=wechat (msg_sec_check per text). */
export type ChecksVariant = "off" | "wordlist" | "wechat";

export interface ChecksTarget {
  variant: ChecksVariant;
  summary: SendSummary;
  runs: SendRun[];
  integrity: IntegrityStats | null;
  /** msg_sec_check calls the fake WeChat got per acked message in the measured windows (wechat: 1). */
  checksPerMessage: number | null;
  /** CPU of the fake WeChat process during the measured windows (1 = one core): whether the fake was the limit. */
  fakeWeChatCpuUtilisation: Spread | null;
  error: string | null;
}

export interface ChecksResult {
  users: number;
  concurrency: number;
  seconds: number;
  /** The fake WeChat answers every call after this long. */
  wechatDelayMs: number;
  wordListEntries: number;
  targets: ChecksTarget[];
}

export interface ImageSendTarget {
  body: "text" | "image";
  closed: SendSummary;
  open: SendSummary;
  runs: SendRun[];
}

export interface ImagesResult {
  users: number;
  /** Closed loop: sends awaiting their ack. */
  concurrency: number;
  seconds: number;
  /** Open loop: messages per second, all users together (a third of the lower warm-up throughput, capped). */
  rate: number;
  /** The JPEGs uploaded before the runs: each user uploads one of them (a body must name the sender's own media). */
  jpegs: { count: number; width: number; height: number; bytes: number[] };
  uploads: number;
  targets: ImageSendTarget[];
  /** Texts and images together: they share the users and the conversations. */
  integrity: IntegrityStats | null;
  error: string | null;
}
