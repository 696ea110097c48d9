const MIN_RATE = 100;

/**
 * Finds the highest rate that still meets a latency bound: multiply the rate
 * by `growth` while steps pass; after the first failure, bisect (geometric
 * mean) between the last pass and the first failure `refineSteps` times.
 */
export class RateLadder {
  private lastPass = 0;
  private firstFail: number | null = null;
  private refinesLeft: number;
  private nextRate: number | null;

  constructor(
    startRate: number,
    private readonly growth: number,
    refineSteps: number,
    private readonly maxRate: number,
  ) {
    this.refinesLeft = refineSteps;
    this.nextRate = startRate;
  }

  /** The rate to try next, or null when the search is over. */
  next(): number | null {
    return this.nextRate;
  }

  report(rate: number, passed: boolean): void {
    if (passed) this.lastPass = Math.max(this.lastPass, rate);
    else this.firstFail = this.firstFail === null ? rate : Math.min(this.firstFail, rate);

    if (this.firstFail === null) {
      const grown = Math.round(rate * this.growth);
      this.nextRate = rate >= this.maxRate ? null : Math.min(grown, this.maxRate);
      return;
    }
    if (this.lastPass === 0) {
      // Nothing passed yet: halve until something does (or the rate is too low to matter).
      const half = Math.round(this.firstFail / 2 / 100) * 100;
      this.nextRate = half >= MIN_RATE ? half : null;
      return;
    }
    if (this.refinesLeft <= 0) {
      this.nextRate = null;
      return;
    }
    this.refinesLeft--;
    const middle = Math.round(Math.sqrt(this.lastPass * this.firstFail) / 100) * 100;
    this.nextRate = middle > this.lastPass && middle < this.firstFail ? middle : null;
  }

  /** The highest passing rate seen (0 when none passed). */
  get saturation(): number {
    return this.lastPass;
  }

  /** True when even the highest rate tried passed (the saturation is a lower bound). */
  get capped(): boolean {
    return this.firstFail === null && this.lastPass >= this.maxRate;
  }
}
