import type { BusEvent } from "../bus/bus";

/** How long a removal is remembered: far longer than any event can be on its way on the bus. */
export const REMOVAL_MEMORY_MS = 10 * 60_000;
/** Most removals remembered; past it the oldest go. */
export const REMOVAL_MAX_ENTRIES = 100_000;

/**
 * Who was removed from which conversation, as this instance heard it on the bus.
 * Pushes carry recipients chosen when they were published; one chosen before a
 * removal (on any instance) may arrive after it. From the moment an instance
 * hears the removal, before it writes `conversation_removed`, nothing of that
 * conversation reaches the removed user through it: not a message, typing,
 * receipt or `conversation` push (`admits`), and the chat rules refuse their
 * requests (`isRemoved`) even where a membership answer from before is still in
 * flight. Being added again ends it: a `conversation` event naming the user
 * whose lastSeq is past the removal's seq (a snapshot from after it).
 */
export class RemovalLedger {
  private readonly removals = new Map<string, { seq: number; at: number }>();

  constructor(private readonly now: () => number) {}

  /** Bus subscriber; runs before the gateway delivers the event. */
  hear(event: BusEvent): void {
    if (event.type === "members_removed") {
      for (const userId of event.userIds) this.remember(event.conversationId, userId, event.seq);
    } else if (event.type === "conversation") {
      for (const part of event.members) {
        const key = keyOf(event.conversation.id, part.userId);
        const removal = this.removals.get(key);
        if (removal && event.conversation.lastSeq > removal.seq) this.removals.delete(key);
      }
    }
  }

  isRemoved(conversationId: string, userId: string): boolean {
    const key = keyOf(conversationId, userId);
    const removal = this.removals.get(key);
    if (!removal) return false;
    if (this.now() - removal.at < REMOVAL_MEMORY_MS) return true;
    this.removals.delete(key);
    return false;
  }

  /** The event without the parts for users removed from its conversation (the event itself when none). */
  admits(event: BusEvent): BusEvent | undefined {
    if (this.removals.size === 0) return event;
    switch (event.type) {
      case "message":
      case "receipt":
      case "typing": {
        const recipients = event.recipients.filter((userId) => !this.isRemoved(event.conversationId, userId));
        if (recipients.length === event.recipients.length) return event;
        return recipients.length === 0 ? undefined : { ...event, recipients };
      }
      case "conversation": {
        const members = event.members.filter((part) => !this.isRemoved(event.conversation.id, part.userId));
        if (members.length === event.members.length) return event;
        return members.length === 0 ? undefined : { ...event, members };
      }
      default:
        return event;
    }
  }

  private remember(conversationId: string, userId: string, seq: number): void {
    const key = keyOf(conversationId, userId);
    const known = this.removals.get(key);
    // A removal heard late never replaces a later one.
    if (known && known.seq >= seq) return;
    this.removals.delete(key);
    this.removals.set(key, { seq, at: this.now() });
    if (this.removals.size > REMOVAL_MAX_ENTRIES) {
      const [oldest] = this.removals.keys();
      if (oldest !== undefined) this.removals.delete(oldest);
    }
  }
}

function keyOf(conversationId: string, userId: string): string {
  return `${conversationId}\n${userId}`;
}
