import type { Message } from "@mpchat/protocol";
import type { Connection } from "./connection";
import type { ChatError } from "./errors";
import type { RecoveredEvent } from "./events";
import type { Timers } from "./ports/timers";
import type { Timeline } from "./timeline";

export interface SynchronizerSettings {
  /** The authenticated connection, if any. */
  connection(): Connection | null;
  timeline(conversationId: string): Timeline;
  /** Highest seq the conversation is known to have (from the list or pushes). */
  knownLastSeq(conversationId: string): number;
  /** Feed messages into the timeline and the application; returns those delivered now. */
  deliver(conversationId: string, messages: readonly Message[]): Message[];
  onRecovered(event: RecoveredEvent): void;
  onError(error: ChatError): void;
  /** Delay before retrying a run that failed for the attempt-th time in a row (timeout, unavailable, ...). */
  retryDelayMs(attempt: number): number;
  timers: Timers;
  pageSize: number;
  /** Conversations synced at the same time. */
  parallel: number;
}

/** A sync run stops after this many pages even if the server keeps saying hasMore (a bound, not an expectation). */
const MAX_PAGES_PER_RUN = 10_000;

/**
 * Fills timelines from the server with `sync`: from the last contiguous seq,
 * page after page until `hasMore` is false and no hole is left. One run per
 * conversation at a time; a request during a run makes it run once more after.
 */
export class Synchronizer {
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly waiting: string[] = [];
  private readonly failures = new Map<string, number>();
  /** Conversations the user was removed from: a run in progress stops at its next page. */
  private readonly stopped = new Set<string>();

  constructor(private readonly settings: SynchronizerSettings) {}

  /** Stops syncing the conversation (the user was removed from it) until it is requested again. */
  stop(conversationId: string): void {
    this.stopped.add(conversationId);
    this.again.delete(conversationId);
    this.failures.delete(conversationId);
    const waiting = this.waiting.indexOf(conversationId);
    if (waiting !== -1) this.waiting.splice(waiting, 1);
  }

  /** Make sure the conversation gets synced (now, or after the run in progress). */
  request(conversationId: string): void {
    this.stopped.delete(conversationId);
    if (this.running.has(conversationId)) {
      this.again.add(conversationId);
      return;
    }
    if (this.waiting.indexOf(conversationId) !== -1) return;
    this.waiting.push(conversationId);
    this.startWaiting();
  }

  private startWaiting(): void {
    while (this.running.size < this.settings.parallel && this.waiting.length > 0) {
      const conversationId = this.waiting.shift() as string;
      this.running.add(conversationId);
      const finish = () => {
        this.running.delete(conversationId);
        if (this.again.delete(conversationId) && this.isBehind(conversationId)) this.request(conversationId);
        this.startWaiting();
      };
      this.run(conversationId).then(finish, finish);
    }
  }

  private isBehind(conversationId: string): boolean {
    const timeline = this.settings.timeline(conversationId);
    return timeline.hasGap || timeline.contiguousSeq < this.settings.knownLastSeq(conversationId);
  }

  private async run(conversationId: string): Promise<void> {
    const recovered = { fromSeq: Number.POSITIVE_INFINITY, toSeq: 0, count: 0 };
    try {
      for (let page = 0; page < MAX_PAGES_PER_RUN; page++) {
        const connection = this.settings.connection();
        if (!connection || this.stopped.has(conversationId)) return;
        const timeline = this.settings.timeline(conversationId);
        const afterSeq = timeline.contiguousSeq;
        const frame = { type: "sync" as const, conversationId, afterSeq, limit: this.settings.pageSize };
        const batch = await connection.request(frame, "batch");
        if (this.stopped.has(conversationId)) return;
        // Only what no push had brought counts as recovered (not messages held beyond the hole).
        const fetched = new Set(batch.messages.filter((m) => !timeline.isHeld(m.seq)).map((m) => m.seq));
        for (const message of this.settings.deliver(conversationId, batch.messages)) {
          if (!fetched.has(message.seq)) continue;
          recovered.count += 1;
          recovered.fromSeq = Math.min(recovered.fromSeq, message.seq);
          recovered.toSeq = Math.max(recovered.toSeq, message.seq);
        }
        const progressed = timeline.contiguousSeq > afterSeq;
        const complete =
          !batch.hasMore && !timeline.hasGap && timeline.contiguousSeq >= this.settings.knownLastSeq(conversationId);
        // No progress means the server has nothing more right now; a later push or reconnect asks again.
        if (complete || !progressed) break;
      }
      this.failures.delete(conversationId);
    } catch (error) {
      this.handleFailure(conversationId, error as ChatError);
    } finally {
      if (recovered.count > 0) this.settings.onRecovered({ conversationId, ...recovered });
    }
  }

  private handleFailure(conversationId: string, error: ChatError): void {
    // Removed meanwhile: its `forbidden` is the removal, already told (`conversationRemoved`).
    if (this.stopped.has(conversationId)) return;
    // A lost connection ends the run quietly: the resume after the next `ready` syncs again.
    if (error.code === "connection_lost" || error.code === "closed") return;
    this.settings.onError(error);
    if (error.code === "forbidden" || error.code === "not_found" || error.code === "bad_request") return;
    const attempt = this.failures.get(conversationId) ?? 0;
    this.failures.set(conversationId, attempt + 1);
    this.settings.timers.setTimeout(() => this.request(conversationId), this.settings.retryDelayMs(attempt));
  }
}
