import type { Conversation } from "@mpchat/protocol";

/**
 * Every member's read cursor, per conversation, as far as this client knows:
 * the server's snapshot in each Conversation (`memberReadSeqs`), then `receipt`
 * frames, then messages (sending moves the sender's cursor to their message).
 * Cursors only move forward, so a list fetched a moment ago never rolls back a
 * receipt that arrived since. Keyed by Map, not by object: `constructor` and
 * `__proto__` are valid user ids.
 */
export class MemberReadCursors {
  private readonly byConversation = new Map<string, Map<string, number>>();

  /** Take the cursors a server view carries (absent from servers before the field existed). */
  learn(conversation: Conversation): void {
    for (const { userId, readSeq } of conversation.memberReadSeqs ?? []) {
      this.note(conversation.id, userId, readSeq);
    }
  }

  /** `userId` has read up to `seq`; returns whether that moved their known cursor. */
  note(conversationId: string, userId: string, seq: number): boolean {
    let cursors = this.byConversation.get(conversationId);
    if (!cursors) {
      cursors = new Map();
      this.byConversation.set(conversationId, cursors);
    }
    const known = cursors.get(userId);
    // A first 0 is kept: the member is known, and has read nothing.
    if (known !== undefined && seq <= known) return false;
    cursors.set(userId, seq);
    return true;
  }

  /** The user left the conversation: its cursors are no longer kept. */
  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }

  /** The highest seq `userId` is known to have read (0 when unknown). */
  readSeq(conversationId: string, userId: string): number {
    return this.byConversation.get(conversationId)?.get(userId) ?? 0;
  }

  /** A copy of the known cursors by user id (members never heard of are absent: read nothing known). */
  readSeqsOf(conversationId: string): Map<string, number> {
    return new Map(this.byConversation.get(conversationId));
  }
}
