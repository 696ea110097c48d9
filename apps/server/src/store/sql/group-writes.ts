import type { Message } from "@mpchat/protocol";
import { and, eq } from "drizzle-orm";
import { toMessageRow } from "../message-row";
import type { ConversationRecord, GroupMutation, SystemMessageInput } from "../store";
import { addMembersLocked } from "./conversation-writes";
import type { SqlScope } from "./sql-db";

/* Group management writes of both dialects; each runs inside the transaction that locked the conversation. */

/** Applies one mutation; `remove` deletes a membership (a dialect's own statement). */
export async function applyMutation(
  q: SqlScope,
  conversationId: string,
  mutation: GroupMutation,
  now: number,
  remove: (userId: string) => Promise<void>,
): Promise<void> {
  const { conversations, members } = q.t;
  const member = (userId: string) => and(eq(members.conversationId, conversationId), eq(members.userId, userId));
  const conversation = eq(conversations.id, conversationId);
  switch (mutation.kind) {
    case "add_members":
      await addMembersLocked(q, conversationId, mutation.userIds, now);
      return;
    case "remove_member":
      await remove(mutation.userId);
      return;
    case "set_title":
      await q.db.update(conversations).set({ title: mutation.title }).where(conversation);
      return;
    case "set_announcement":
      await q.db.update(conversations).set({ announcement: mutation.announcement }).where(conversation);
      return;
    case "set_owner":
      await q.db.update(conversations).set({ ownerId: mutation.userId }).where(conversation);
      await q.db.update(members).set({ isAdmin: false }).where(member(mutation.userId));
      return;
    case "set_admin":
      await q.db.update(members).set({ isAdmin: mutation.admin }).where(member(mutation.userId));
      return;
    case "mute_member":
      await q.db.update(members).set({ mutedUntil: mutation.untilMs }).where(member(mutation.userId));
      return;
    case "mute_all":
      await q.db.update(conversations).set({ mutedAllUntil: mutation.untilMs }).where(conversation);
      return;
    case "dissolve":
      await q.db.update(conversations).set({ dissolvedAt: now }).where(conversation);
      return;
  }
}

/**
 * Appends system messages after `lastSeq` (read under the conversation's lock,
 * which every append takes too: seqs stay dense), moves the counters and each
 * sender's read cursor (a sender who just left has none).
 */
export async function appendSystemMessages(
  q: SqlScope,
  conversation: ConversationRecord,
  inputs: readonly SystemMessageInput[],
  now: number,
): Promise<Message[]> {
  const { conversations, members, messages } = q.t;
  const stored: Message[] = inputs.map((input, i) => ({
    id: input.id,
    conversationId: conversation.id,
    seq: conversation.lastSeq + 1 + i,
    senderId: input.senderId,
    clientMsgId: input.clientMsgId,
    body: input.body,
    createdAt: input.createdAt,
  }));
  const last = stored[stored.length - 1];
  if (last) {
    await q.db.insert(messages).values(stored.map(toMessageRow));
    await q.db
      .update(conversations)
      .set({ lastSeq: last.seq, updatedAt: q.greatest(conversations.updatedAt, Math.max(now, last.createdAt)) })
      .where(eq(conversations.id, conversation.id));
    for (const message of stored) {
      await q.db
        .update(members)
        .set({ readSeq: q.greatest(members.readSeq, message.seq) })
        .where(and(eq(members.conversationId, conversation.id), eq(members.userId, message.senderId)));
    }
  } else {
    await q.db
      .update(conversations)
      .set({ updatedAt: q.greatest(conversations.updatedAt, now) })
      .where(eq(conversations.id, conversation.id));
  }
  return stored;
}
