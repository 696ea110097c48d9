import type { Timers } from "./ports/timers";

/**
 * One timer that calls `fire` at the earliest time asked for (the outbox's
 * sender and its uploads wake for the next retry or the end of a pause).
 */
export class WakeTimer {
  private timer: unknown;
  private at = Number.POSITIVE_INFINITY;

  constructor(
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly fire: () => void,
  ) {}

  /** Fires at `at` (epoch ms), unless it is already set to fire earlier. */
  wakeAt(at: number): void {
    if (at >= this.at) return;
    this.clear();
    this.at = at;
    this.timer = this.timers.setTimeout(
      () => {
        this.at = Number.POSITIVE_INFINITY;
        this.fire();
      },
      Math.max(0, at - this.now()),
    );
  }

  clear(): void {
    this.timers.clearTimeout(this.timer);
    this.at = Number.POSITIVE_INFINITY;
  }
}
