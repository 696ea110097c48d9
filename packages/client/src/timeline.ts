import type { Message, RecalledBody } from "@mpchat/protocol";

/** A message the timeline turned into a tombstone, as the application is told (`recalled` event). */
export interface RecalledMessage {
  /** The original, its body now `{ kind: "recalled", by }` (seq, sender and time kept). */
  message: Message;
  /** The recall message that did it. */
  recall: Message;
}

/**
 * The messages of one conversation as the application sees them: ascending by
 * seq, each once, no holes. Messages that arrive beyond a hole wait in `ahead`
 * until the hole is filled (by a sync), so the application never sees seq 7
 * before seq 6.
 */
export class Timeline {
  private readonly loaded: Message[] = [];
  private readonly ahead = new Map<number, Message>();
  /** Ids of recalled messages and their tombstones, also for originals not loaded (yet). */
  private readonly recalled = new Map<string, RecalledBody>();
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
  accept(received: Message): Message[] {
    const message = this.tombstoned(received);
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
    const fresh = older.filter((message) => message.seq < before).map((message) => this.tombstoned(message));
    fresh.sort((a, b) => a.seq - b.seq);
    this.loaded.unshift(...fresh);
    const first = fresh[0];
    if (first && first.seq - 1 < this.baseSeq) this.baseSeq = first.seq - 1;
    return fresh;
  }

  /**
   * Applies a delivered recall message: its target becomes a tombstone in place,
   * now when loaded (or waiting beyond a hole), else whenever it arrives (a resync
   * or an older page that brings the original after the recall). Returns the
   * tombstone when a loaded message changed, else undefined.
   */
  applyRecall(recall: Message): RecalledMessage | undefined {
    if (recall.body.kind !== "recall") return undefined;
    const { messageId } = recall.body;
    const index = this.loaded.findIndex((message) => message.id === messageId);
    const target = this.loaded[index] ?? [...this.ahead.values()].find((message) => message.id === messageId);
    const by = recall.body.by ?? (recall.senderId === target?.senderId ? "sender" : "admin");
    this.recalled.set(messageId, { kind: "recalled", by });
    if (!target) return undefined;
    const tombstone = this.tombstoned(target);
    if (index === -1) {
      this.ahead.set(tombstone.seq, tombstone);
      return undefined;
    }
    if (target.body.kind === "recalled") return undefined;
    this.loaded[index] = tombstone;
    return { message: tombstone, recall };
  }

  /** The message, as a tombstone when a recall named it. */
  private tombstoned(message: Message): Message {
    const body = this.recalled.get(message.id);
    return body === undefined || message.body.kind === "recalled" ? message : { ...message, body };
  }

  private append(message: Message): void {
    this.loaded.push(message);
    this.contiguous = message.seq;
  }
}
