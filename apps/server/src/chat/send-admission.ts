import { ErrorCode } from "@mpchat/protocol";
import { Counter, Gauge, type Registry } from "prom-client";
import { AppError } from "../app-error";
import type { MessageAppender } from "../store/message-appender";

/** The bounds of the sends taken and not yet answered (SEND_QUEUE_*; README's configuration table). */
export interface SendQueueLimits {
  /** All conversations together (SEND_QUEUE_LIMIT). */
  limit: number;
  /** One conversation (SEND_QUEUE_CONVERSATION_LIMIT): one hot conversation cannot take the whole queue. */
  conversationLimit: number;
  /** A conversation whose oldest append has waited this long for the store takes no new send (SEND_QUEUE_MAX_WAIT_MS). */
  maxWaitMs: number;
}

export const DEFAULT_SEND_QUEUE_LIMITS: SendQueueLimits = {
  limit: 10_000,
  conversationLimit: 1000,
  maxWaitMs: 3000,
};

/** The least `retryAfterMs` of a refusal: a queue does not drain in less. */
export const MIN_RETRY_AFTER_MS = 100;

/** Why a send was refused (the label of mpchat_sends_refused_total). */
export type RefusalReason = "queue_full" | "conversation_full" | "too_slow";

/** Unanswered sends in arrival order: ticket → when taken (a Map iterates in insertion order). */
type Waiting = Map<number, number>;

const monotonic = (): number => performance.now();

/**
 * Admission control of sends: under overload a send is refused at once with
 * `unavailable` and a `retryAfterMs` rather than queued without end, so that
 * the ack latency of the sends taken stays bounded. A refused send stores
 * nothing; its retry (same clientMsgId) is an ordinary send, so the store's
 * idempotency is untouched. The bounds are the sends taken and not answered,
 * per conversation and over all of them (the count bounds memory whatever is
 * slow), and the age of a conversation's oldest append still waiting for the
 * store (`tracking` wraps the appender: a slow content check is not the store
 * being slow). A slow conversation does not refuse the others.
 */
export class SendAdmission {
  private readonly all: Waiting = new Map();
  private readonly byConversation = new Map<string, Waiting>();
  /** Appends handed to the appender and not yet settled, per conversation. */
  private readonly appending = new Map<string, Waiting>();
  private nextTicket = 0;
  private readonly refusals: Counter<"reason"> | undefined;
  private readonly clock: () => number;

  constructor(
    private readonly limits: SendQueueLimits = DEFAULT_SEND_QUEUE_LIMITS,
    options: { registry?: Registry; clock?: () => number } = {},
  ) {
    this.clock = options.clock ?? monotonic;
    const registers = options.registry ? [options.registry] : [];
    if (options.registry) {
      this.refusals = new Counter({
        name: "mpchat_sends_refused_total",
        help: "Sends refused with `unavailable` by admission control (nothing stored), by reason",
        labelNames: ["reason"],
        registers,
      });
      const all = this.all;
      new Gauge({
        name: "mpchat_sends_waiting",
        help: "Sends taken and not yet answered (admission control's queue)",
        registers,
        collect() {
          this.set(all.size);
        },
      });
    }
  }

  /** Runs `send` if the queues have room; otherwise rejects at once with `unavailable` and `retryAfterMs`. */
  admit<T>(conversationId: string, send: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const refusal = this.refusalOf(now, conversationId);
    if (refusal) {
      this.refusals?.inc({ reason: refusal.reason });
      return Promise.reject(refusal.error);
    }
    const done = this.enter(this.byConversation, conversationId, now);
    let running: Promise<T>;
    try {
      running = send();
    } catch (error) {
      done();
      return Promise.reject(error);
    }
    return running.finally(done);
  }

  /** The appender, with each append's wait for the store recorded (the age bound). */
  tracking(appender: MessageAppender): MessageAppender {
    return {
      append: (input) => {
        const done = this.enter(this.appending, input.conversationId, this.clock(), false);
        try {
          return appender.append(input).finally(done);
        } catch (error) {
          done();
          throw error;
        }
      },
    };
  }

  /** Records one waiting send (or append) of `conversationId`; returns what forgets it. */
  private enter(queues: Map<string, Waiting>, conversationId: string, now: number, counted = true): () => void {
    const ticket = this.nextTicket++;
    let waiting = queues.get(conversationId);
    if (!waiting) {
      waiting = new Map<number, number>();
      queues.set(conversationId, waiting);
    }
    waiting.set(ticket, now);
    if (counted) this.all.set(ticket, now);
    const mine = waiting;
    return () => {
      this.all.delete(ticket);
      mine.delete(ticket);
      if (mine.size === 0 && queues.get(conversationId) === mine) queues.delete(conversationId);
    };
  }

  /** Sends taken and not yet answered (for tests and metrics). */
  get waiting(): number {
    return this.all.size;
  }

  private refusalOf(now: number, conversationId: string): { reason: RefusalReason; error: AppError } | undefined {
    const { limit, conversationLimit, maxWaitMs } = this.limits;
    const appends = this.appending.get(conversationId);
    const oldestAppend = appends ? now - firstOf(appends, now) : 0;
    if (oldestAppend >= maxWaitMs) return this.refuse("too_slow", oldestAppend);
    const sends = this.byConversation.get(conversationId);
    if (sends && sends.size >= conversationLimit) return this.refuse("conversation_full", now - firstOf(sends, now));
    if (this.all.size >= limit) return this.refuse("queue_full", now - firstOf(this.all, now));
    return undefined;
  }

  /**
   * The wait suggested is how long the oldest send (or append) ahead has waited: about the
   * time the queue takes to move on, at least MIN_RETRY_AFTER_MS, at most maxWaitMs.
   */
  private refuse(reason: RefusalReason, oldestAgeMs: number): { reason: RefusalReason; error: AppError } {
    const retryAfterMs = Math.round(Math.min(this.limits.maxWaitMs, Math.max(MIN_RETRY_AFTER_MS, oldestAgeMs)));
    const message =
      reason === "too_slow"
        ? "the server is overloaded (sends into this conversation wait too long), retry later"
        : "the server is overloaded (too many sends waiting), retry later";
    return { reason, error: new AppError(ErrorCode.Unavailable, message, { retryAfterMs }) };
  }
}

function firstOf(waiting: Waiting, otherwise: number): number {
  for (const takenAt of waiting.values()) return takenAt;
  return otherwise;
}
