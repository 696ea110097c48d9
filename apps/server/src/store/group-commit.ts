import type { AppendInput, AppendResult, Store } from "./store";

interface PendingAppend {
  input: AppendInput;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: at most one `appendMessages` transaction in flight; appends
 * that arrive meanwhile wait and go together into the next one (up to
 * `maxBatch`). Each promise settles only after its batch committed (or
 * failed: then every append of that batch rejects, and the client may retry
 * with the same clientMsgId, which the store deduplicates).
 */
export class GroupCommitter {
  private readonly maxBatch: number;
  private queue: PendingAppend[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    options: { maxBatch?: number } = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
  }

  append(input: AppendInput): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Resolves once every append made so far has settled (for shutdown). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Appends waiting for the next batch (for metrics). */
  get pending(): number {
    return this.queue.length;
  }

  private async flush(): Promise<void> {
    // Yield once so that appends made in the same turn of the event loop share the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.store.appendMessages(batch.map((p) => p.input));
        batch.forEach((pending, i) => {
          const result = results[i];
          if (result) pending.resolve(result);
          else pending.reject(new Error("store returned fewer results than appends"));
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = null;
  }
}
