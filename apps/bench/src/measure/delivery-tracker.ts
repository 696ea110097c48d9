/**
 * Loss, reordering and duplicates, counted per stream: the messages one sender
 * sent into one room, as one receiver saw them. Every message carries its
 * per-(sender, room) number n = 1, 2, 3…; a receiver expects them in order.
 *   n == highest + 1   in order
 *   n >  highest + 1   the numbers in between are missing (for now)
 *   n <  highest       a missing one arriving late: reordered; otherwise a duplicate
 * At the end, a stream's losses are its still-missing numbers plus those sent
 * after the highest it saw, minus the sends the server refused (never stored).
 */
interface Stream {
  highest: number;
  missing: Set<number> | null;
}

export interface DeliveryCounts {
  delivered: number;
  reordered: number;
  duplicates: number;
}

export class DeliveryTracker {
  private readonly streamsByReceiver: Array<Map<number, Stream>>;
  private readonly counts: DeliveryCounts = { delivered: 0, reordered: 0, duplicates: 0 };

  /** `streamKey(room, sender)` must be unique per pair; see Traffic. */
  constructor(receivers: number) {
    this.streamsByReceiver = Array.from({ length: receivers }, () => new Map());
  }

  /** Records one push; returns false for a duplicate (which must not count as a delivery). */
  record(receiver: number, streamKey: number, n: number): boolean {
    const streams = this.streamsByReceiver[receiver];
    if (!streams) return false;
    let stream = streams.get(streamKey);
    if (!stream) {
      stream = { highest: 0, missing: null };
      streams.set(streamKey, stream);
    }
    if (n === stream.highest + 1) {
      stream.highest = n;
    } else if (n > stream.highest) {
      stream.missing ??= new Set();
      for (let gap = stream.highest + 1; gap < n; gap++) stream.missing.add(gap);
      stream.highest = n;
    } else if (stream.missing?.delete(n)) {
      this.counts.reordered++;
    } else {
      this.counts.duplicates++;
      return false;
    }
    this.counts.delivered++;
    return true;
  }

  totals(): DeliveryCounts {
    return { ...this.counts };
  }

  /** Messages `sent` by a sender into a room that `receiver` never got, not counting `refused` ones. */
  lostInStream(receiver: number, streamKey: number, sent: number, refused: ReadonlySet<number> | undefined): number {
    const stream = this.streamsByReceiver[receiver]?.get(streamKey);
    const highest = stream?.highest ?? 0;
    let lost = Math.max(0, sent - highest) + (stream?.missing?.size ?? 0);
    if (refused) {
      for (const n of refused) if (n > highest || stream?.missing?.has(n)) lost--;
    }
    return lost;
  }
}
