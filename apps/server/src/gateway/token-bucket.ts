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
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token (0 when one is there), rounded up. */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  private refill(): void {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}
