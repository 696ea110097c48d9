/**
 * At most one run per key per window. The first call of a quiet key runs at
 * once and opens a window; calls made during the window are merged into one
 * pending value (or dropped, without `merge`), which runs when the window ends
 * and opens the next window. So a burst costs one run per window, and with
 * `merge` the last state of a burst is never lost, only delayed.
 *
 * Per instance: a user whose sockets are on two instances may get one run per
 * instance per window.
 */
export class Coalescer<T> {
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; pending: T | undefined }>();

  constructor(
    private readonly windowMs: number,
    private readonly run: (value: T) => Promise<void>,
    /** Merges a new value into the pending one; unset: the calls of a window after the first are dropped. */
    private readonly merge?: (pending: T | undefined, next: T) => T,
  ) {}

  submit(key: string, value: T): Promise<void> {
    if (this.windowMs <= 0) return this.run(value);
    const window = this.windows.get(key);
    if (window) {
      if (this.merge) window.pending = this.merge(window.pending, value);
      return Promise.resolve();
    }
    this.open(key);
    return this.run(value);
  }

  /** Runs every pending value now and closes every window (shutdown). */
  async flush(): Promise<void> {
    const pending: T[] = [];
    for (const window of this.windows.values()) {
      clearTimeout(window.timer);
      if (window.pending !== undefined) pending.push(window.pending);
    }
    this.windows.clear();
    await Promise.all(pending.map((value) => this.run(value)));
  }

  private open(key: string): void {
    const timer = setTimeout(() => this.windowEnded(key), this.windowMs);
    timer.unref();
    this.windows.set(key, { timer, pending: undefined });
  }

  private windowEnded(key: string): void {
    const window = this.windows.get(key);
    this.windows.delete(key);
    if (window?.pending === undefined) return;
    this.open(key);
    void this.run(window.pending);
  }
}
