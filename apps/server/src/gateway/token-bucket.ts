/**
 * A token bucket: `capacity` tokens, refilled continuously at `perSecond`.
 * The clock is injectable and monotonic by default (wall clock jumps must not
 * refill or drain it).
 */
const monotonic = (): number => performance.now();

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    // One shared default: a closure per bucket would be memory every idle connection keeps.
    private readonly clock: () => number = monotonic,
  ) {
    this.tokens = capacity;
    this.last = clock();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
