/**
 * Counts per label value in a plain Map, handed to a prom-client Counter when
 * it is scraped (from the Counter's `collect`). A labelled `inc` hashes its
 * labels on every call; the send path counts several times per
 * message, so it pays a Map update instead and the Counter catches up at scrape.
 */
export class Tally {
  private counts = new Map<string, number>();

  add(key: string, count = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + count);
  }

  /** Hands every count over and starts again from zero. */
  drain(each: (key: string, count: number) => void): void {
    const counts = this.counts;
    this.counts = new Map();
    for (const [key, count] of counts) each(key, count);
  }
}
