/**
 * Coalesces many events into one render: a burst of 20 messages (a resync) becomes one setData,
 * which is what keeps a mini program page smooth. The render runs in a microtask, so it still
 * happens before the next event from the socket is handled.
 */
export class RenderScheduler {
  private scheduled = false;
  private stopped = false;

  constructor(private readonly render: () => void) {}

  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    Promise.resolve().then(() => {
      this.scheduled = false;
      if (!this.stopped) this.render();
    });
  }

  stop(): void {
    this.stopped = true;
  }
}
