import { isStoreUnavailable } from "./errors";
import type { MessageAppender } from "./message-appender";
import type { AppendInput, AppendResult, Store } from "./store";
import { findIllFormed, IllFormedStringError } from "./well-formed-guard";

interface PendingAppend {
  input: AppendInput;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: appends that arrive while a transaction is committing wait
 * and go together into the next one (up to `maxBatch`). Each promise settles
 * only after its batch committed. When the database is unavailable every
 * append of the batch rejects (the client may retry with the same clientMsgId,
 * which the store deduplicates). Any other failure may be one append the
 * database refuses: the batch is split in halves, retried in order, so that
 * the good appends still commit and only the bad one is rejected.
 *
 * The appends are split into `lanes` by conversation id, each lane with at
 * most one transaction in flight. A conversation always maps to the same
 * lane, so its appends stay in arrival order; lanes touch disjoint
 * conversations, so their transactions do not wait on each other's row
 * locks. With a networked database (MySQL) several lanes overlap one batch's
 * round trips and commit with another's; SQLite has one writer and uses one.
 */
/**
 * Largest batch by default. A cap, not a target: batches only grow this big
 * when that many appends wait. Bigger batches cost less CPU per message on
 * both stores, up to this size (figures: docs/architecture.md, performance notes).
 */
export const DEFAULT_MAX_BATCH = 1000;

export class GroupCommitter implements MessageAppender {
  private readonly maxBatch: number;
  private readonly lanes: Lane[];

  constructor(store: Store, options: { maxBatch?: number; lanes?: number } = {}) {
    this.maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
    const lanes = Math.max(1, Math.floor(options.lanes ?? store.parallelAppends ?? 1));
    this.lanes = Array.from({ length: lanes }, () => new Lane(store, this.maxBatch));
  }

  append(input: AppendInput): Promise<AppendResult> {
    // Refused here, alone, rather than failing the whole batch at the store boundary.
    const illFormed = findIllFormed(input, "append");
    if (illFormed !== undefined) return Promise.reject(new IllFormedStringError(illFormed));
    const lane = this.lanes.length === 1 ? this.lanes[0] : this.lanes[laneOf(input.conversationId, this.lanes.length)];
    if (!lane) return Promise.reject(new Error("no lane for this conversation"));
    return lane.append(input);
  }

  /** Resolves once every append made so far has settled (for shutdown). */
  async drain(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.drain()));
  }

  /** Appends waiting for the next batch (for metrics). */
  get pending(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.pending, 0);
  }
}

/** One queue with at most one `appendMessages` transaction in flight. */
class Lane {
  private queue: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly maxBatch: number,
  ) {}

  append(input: AppendInput): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  get pending(): number {
    return this.queue.length;
  }

  private async flush(): Promise<void> {
    // Yield once so that appends made in the same turn of the event loop share the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
      this.queue = this.queue.length <= this.maxBatch ? [] : this.queue.slice(this.maxBatch);
      await this.commit(batch);
    }
    this.flushing = null;
  }

  /** One transaction for the batch; on a failure other than `unavailable`, each half on its own. */
  private async commit(batch: PendingAppend[]): Promise<void> {
    const inputs = new Array<AppendInput>(batch.length);
    for (let i = 0; i < batch.length; i++) inputs[i] = (batch[i] as PendingAppend).input;
    let results: AppendResult[];
    try {
      results = await this.store.appendMessages(inputs);
    } catch (error) {
      if (batch.length === 1 || isStoreUnavailable(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // The failed transaction stored nothing; halves in order keep each conversation's arrival order.
      const half = Math.ceil(batch.length / 2);
      await this.commit(batch.slice(0, half));
      await this.commit(batch.slice(half));
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const pending = batch[i] as PendingAppend;
      const result = results[i];
      if (result) pending.resolve(result);
      else pending.reject(new Error("store returned fewer results than appends"));
    }
  }
}

/** A stable lane for a conversation id (FNV-1a over its UTF-16 code units). */
export function laneOf(conversationId: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < conversationId.length; i++) {
    hash ^= conversationId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
