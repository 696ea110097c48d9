import type { Conversation } from "@mpchat/protocol";
import type { MemberPart, SharedConversation } from "../bus/bus";
import type { ConversationMembers, ConversationView } from "../store/store";

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
    settings: view.settings,
  };
  if (view.lastMessage) conversation.lastMessage = view.lastMessage;
  if (view.lastMentionSeq > 0) conversation.lastMentionSeq = view.lastMentionSeq;
  return conversation;
}

/** What every member's view has in common (the body a `conversation` event carries once). */
export function toSharedConversation(view: ConversationMembers["conversation"]): SharedConversation {
  const shared: SharedConversation = {
    id: view.id,
    kind: view.kind,
    title: view.title,
    memberIds: view.memberIds,
    lastSeq: view.lastSeq,
    updatedAt: view.updatedAt,
    memberReadSeqs: view.memberReadSeqs,
  };
  if (view.lastMessage) shared.lastMessage = view.lastMessage;
  return shared;
}

/** One member's view: the shared body with that member's cursor, unread count, mentions and settings. */
export function memberView(shared: SharedConversation, part: MemberPart): Conversation {
  return { ...shared, ...ownFields(part) };
}

/** A member's own fields of a Conversation, in the order the fan-out writes them (gateway/fanout.ts). */
export function ownFields(part: MemberPart): Pick<Conversation, "readSeq" | "unread" | "lastMentionSeq" | "settings"> {
  const own: Pick<Conversation, "readSeq" | "unread" | "lastMentionSeq" | "settings"> = {
    readSeq: part.readSeq,
    unread: part.unread,
    settings: part.settings,
  };
  if (part.lastMentionSeq > 0) own.lastMentionSeq = part.lastMentionSeq;
  return own;
}
