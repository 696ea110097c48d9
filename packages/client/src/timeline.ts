import type { Message } from "@mpchat/protocol";

/**
 * The messages of one conversation as the application sees them: ascending by
 * seq, each once, no holes. Messages that arrive beyond a hole wait in `ahead`
 * until the hole is filled (by a sync), so the application never sees seq 7
 * before seq 6.
 */
export class Timeline {
  private readonly loaded: Message[] = [];
  private readonly ahead = new Map<number, Message>();
  private contiguous: number;

  /**
   * @param baseSeq messages up to this seq are history (fetched by `loadOlder`),
   *   not news: the first new message expected is baseSeq + 1.
   */
  constructor(private baseSeq: number) {
    this.contiguous = baseSeq;
  }

  /** Every message up to this seq has been delivered (or is history below the base). */
  get contiguousSeq(): number {
    return this.contiguous;
  }

  /** Highest seq seen, delivered or waiting beyond a hole. */
  get highestSeq(): number {
    let highest = this.contiguous;
    for (const seq of this.ahead.keys()) if (seq > highest) highest = seq;
    return highest;
  }

  /** True when messages wait beyond a hole that only a sync can fill. */
  get hasGap(): boolean {
    return this.ahead.size > 0;
  }

  /** True when this seq arrived but waits beyond a hole. */
  isHeld(seq: number): boolean {
    return this.ahead.has(seq);
  }

  /** The loaded messages, ascending. */
  get messages(): readonly Message[] {
    return this.loaded;
  }

  /** Seq of the oldest loaded message, or the first expected one when none is loaded. */
  get oldestSeq(): number {
    const first = this.loaded[0];
    return first ? first.seq : this.baseSeq + 1;
  }

  /**
   * Take a message (from a push, an ack or a sync). Returns the messages that
   * are now deliverable in order: none when it is a duplicate or lies beyond a
   * hole, several when it fills one.
   */
  accept(message: Message): Message[] {
    const { seq } = message;
    if (seq <= this.contiguous || this.ahead.has(seq)) return [];
    if (seq !== this.contiguous + 1) {
      this.ahead.set(seq, message);
      return [];
    }
    const delivered = [message];
    this.append(message);
    let next = this.ahead.get(this.contiguous + 1);
    while (next) {
      this.ahead.delete(next.seq);
      this.append(next);
      delivered.push(next);
      next = this.ahead.get(this.contiguous + 1);
    }
    return delivered;
  }

  /** Add older history (ascending, from `loadOlder`) in front; returns the ones that were new. */
  prepend(older: readonly Message[]): Message[] {
    const before = this.oldestSeq;
    const fresh = older.filter((message) => message.seq < before);
    fresh.sort((a, b) => a.seq - b.seq);
    this.loaded.unshift(...fresh);
    const first = fresh[0];
    if (first && first.seq - 1 < this.baseSeq) this.baseSeq = first.seq - 1;
    return fresh;
  }

  private append(message: Message): void {
    this.loaded.push(message);
    this.contiguous = message.seq;
  }
}
