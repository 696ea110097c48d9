import type { ChatClient } from "@mpchat/client";

/**
 * What the app knows of other members' read cursors, per conversation.
 *
 * The server tells a member only its own `readSeq`; others' cursors arrive as `receipt` events while
 * the app runs. A member who sends a message has also read up to it (the server moves the sender's
 * cursor), so every message is a lower bound too. The result is a floor: "read" is never shown too
 * early, but a receipt sent while this app was closed is only learned from the reader's next message.
 */
export class ReadReceipts {
  private readonly cursors = new Map<string, Map<string, number>>();

  constructor(client: ChatClient) {
    client.on("receipt", (receipt) => this.record(receipt.conversationId, receipt.userId, receipt.seq));
    client.on("message", (message) => this.record(message.conversationId, message.senderId, message.seq));
  }

  record(conversationId: string, userId: string, seq: number): void {
    let members = this.cursors.get(conversationId);
    if (!members) {
      members = new Map();
      this.cursors.set(conversationId, members);
    }
    if ((members.get(userId) ?? 0) < seq) members.set(userId, seq);
  }

  /** The highest seq `userId` is known to have read in the conversation (0 when unknown). */
  readSeq(conversationId: string, userId: string): number {
    return this.cursors.get(conversationId)?.get(userId) ?? 0;
  }

  /** How many members other than `exceptUserId` have read up to `seq`. */
  readersOf(conversationId: string, seq: number, exceptUserId: string): number {
    let count = 0;
    for (const [userId, readSeq] of this.cursors.get(conversationId) ?? []) {
      if (userId !== exceptUserId && readSeq >= seq) count++;
    }
    return count;
  }
}
