import type { AckFrame } from "@mpchat/protocol";
import { type BackoffOptions, overloadPauseMs, retryDelayMs } from "./backoff";
import type { Connection } from "./connection";
import { type ChatError, isPermanentSendError } from "./errors";
import type { Outbox } from "./outbox";
import type { OutboxEntry } from "./outbox-entry";
import type { Timers } from "./ports/timers";
import { WakeTimer } from "./wake-timer";

export interface OutboxSenderSettings {
  outbox: Outbox;
  timers: Timers;
  now: () => number;
  random: () => number;
  backoff: BackoffOptions;
  maxInFlight: number;
  /** The server stored the message. `entry` is the entry as it was sent. */
  onAcked(entry: OutboxEntry, ack: AckFrame): void;
  /** The server refused the message for good; the entry is marked failed already. */
  onFailed(entry: OutboxEntry, error: ChatError): void;
}

/** `internal` errors are retried, but a message that keeps breaking the server is given up after this many tries. */
const MAX_INTERNAL_ERROR_ATTEMPTS = 5;

/**
 * Sends the outbox over the current connection, oldest first (media messages
 * once their upload is recorded), with at most
 * `window` sends in flight. Every entry is retried with its own clientMsgId
 * until it is acknowledged (the server stores it once however often it comes)
 * or refused for good. `rate_limited` pauses the whole outbox and shrinks the
 * window to one, because the limit is per connection; it grows back by one per ack.
 * `unavailable` with a `retryAfterMs` (the server refused it for overload, storing
 * nothing) does the same for at least that long, longer with each refusal in a row.
 */
export class OutboxSender {
  private connection: Connection | null = null;
  /** Entries in flight, with the connection that carries them. */
  private readonly inFlight = new Map<string, Connection>();
  private readonly retryAt = new Map<string, number>();
  private pausedUntil = 0;
  private rateLimitStreak = 0;
  /** Overload refusals since the last ack; those that arrive during the pause they caused do not count. */
  private overloadStreak = 0;
  private window: number;
  private readonly waker: WakeTimer;

  constructor(private readonly settings: OutboxSenderSettings) {
    this.waker = new WakeTimer(settings.timers, settings.now, () => this.pump());
    this.window = settings.maxInFlight;
  }

  /** A new authenticated connection: send everything pending, from a clean slate. */
  online(connection: Connection): void {
    this.connection = connection;
    this.inFlight.clear();
    this.retryAt.clear();
    this.pausedUntil = 0;
    this.rateLimitStreak = 0;
    this.overloadStreak = 0;
    this.window = this.settings.maxInFlight;
    this.pump();
  }

  /** The connection is gone; entries in flight will be sent again on the next one. */
  offline(): void {
    this.connection = null;
    this.inFlight.clear();
    this.waker.clear();
  }

  /** Send what may be sent now (call after the outbox changed). */
  pump(): void {
    const connection = this.connection;
    if (!connection) return;
    const now = this.settings.now();
    if (now < this.pausedUntil) {
      this.waker.wakeAt(this.pausedUntil);
      return;
    }
    const { outbox } = this.settings;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of outbox.entries()) {
      if (this.inFlight.size >= this.window) break;
      const id = entry.clientMsgId;
      if (entry.status !== "pending" || this.inFlight.has(id) || !outbox.isWritten(id)) continue;
      // A media message goes out once its media is recorded (OutboxUploads).
      if (entry.upload && !entry.upload.media) continue;
      const at = this.retryAt.get(id);
      if (at !== undefined && at > now) {
        earliest = Math.min(earliest, at);
        continue;
      }
      this.retryAt.delete(id);
      this.dispatch(connection, entry);
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.waker.wakeAt(earliest);
  }

  private dispatch(connection: Connection, entry: OutboxEntry): void {
    const id = entry.clientMsgId;
    this.inFlight.set(id, connection);
    entry.attempts += 1;
    const frame = { type: "send" as const, conversationId: entry.conversationId, clientMsgId: id, body: entry.body };
    connection.request(frame, "ack").then(
      (ack) => {
        if (this.inFlight.get(id) === connection) this.inFlight.delete(id);
        this.rateLimitStreak = 0;
        this.overloadStreak = 0;
        this.window = Math.min(this.settings.maxInFlight, this.window + 1);
        this.settings.onAcked(entry, ack);
        this.pump();
      },
      (error: ChatError) => {
        // Answers from a connection we left behind change nothing: the entry is resent on the new one.
        if (this.inFlight.get(id) !== connection) return;
        this.inFlight.delete(id);
        this.handleError(entry, error);
        this.pump();
      },
    );
  }

  private handleError(entry: OutboxEntry, error: ChatError): void {
    const id = entry.clientMsgId;
    if (error.code === "connection_lost" || error.code === "closed") return;
    const { outbox, now, random, backoff } = this.settings;
    const giveUp =
      isPermanentSendError(error.code) || (error.code === "internal" && entry.attempts >= MAX_INTERNAL_ERROR_ATTEMPTS);
    if (giveUp) {
      const failed = outbox.update(id, { status: "failed", error: { code: error.code, message: error.message } });
      if (failed) this.settings.onFailed(failed, error);
      return;
    }
    entry.error = { code: error.code, message: error.message };
    if (error.code === "rate_limited") {
      this.rateLimitStreak += 1;
      this.window = 1;
      // At least a few hundred ms (the server's bucket refills over time), and what the server said.
      const delay = Math.max(250, error.retryAfterMs ?? 0, retryDelayMs(this.rateLimitStreak, random, backoff));
      this.pausedUntil = Math.max(this.pausedUntil, now() + delay);
      return;
    }
    if (error.code === "unavailable" && error.retryAfterMs !== undefined) {
      this.pauseForOverload(error.retryAfterMs);
      return;
    }
    this.retryAt.set(id, now() + retryDelayMs(entry.attempts - 1, random, backoff));
  }

  /**
   * The whole outbox waits: the server is overloaded for every message, not for this one.
   * Refusals of sends already in flight when the pause began extend it to what they
   * ask but do not grow the streak (they are the same overload, not a new refusal).
   */
  private pauseForOverload(retryAfterMs: number): void {
    const { now, random, backoff } = this.settings;
    const at = now();
    this.window = 1;
    if (at < this.pausedUntil) {
      this.pausedUntil = Math.max(this.pausedUntil, at + retryAfterMs);
      return;
    }
    this.overloadStreak += 1;
    this.pausedUntil = at + overloadPauseMs(retryAfterMs, this.overloadStreak, random, backoff);
  }
}
