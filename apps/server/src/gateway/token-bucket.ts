/**
 * A token bucket: `capacity` tokens, refilled continuously at `perSecond`.
 * The clock is injectable and monotonic by default (wall clock jumps must not
 * refill or drain it).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly clock: () => number = () => performance.now(),
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
