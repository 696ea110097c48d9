import { forbidden, notFound } from "../app-error";
import type { ConversationRecord, Store } from "../store/store";

/** The conversation, when `userId` is one of its members; refuses otherwise. */
export async function requireMember(store: Store, conversationId: string, userId: string): Promise<ConversationRecord> {
  const conversation = await store.getConversation(conversationId);
  if (!conversation) throw notFound("conversation not found");
  if (!conversation.memberIds.includes(userId)) throw forbidden("not a member of this conversation");
  return conversation;
}
