import type { Conversation } from "@mpchat/protocol";
import type { ConversationView } from "../store/store";

/** The protocol's Conversation from the store's per-member view. */
export function toConversation(view: ConversationView): Conversation {
  const conversation: Conversation = {
    id: view.id,
    kind: view.kind,
    title: view.title,
    memberIds: view.memberIds,
    lastSeq: view.lastSeq,
    readSeq: view.readSeq,
    unread: view.unread,
    updatedAt: view.updatedAt,
    memberReadSeqs: view.memberReadSeqs,
  };
  if (view.lastMessage) conversation.lastMessage = view.lastMessage;
  return conversation;
}
