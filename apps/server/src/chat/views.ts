import type { Conversation } from "@mpchat/protocol";
import type { MemberPart, SharedConversation } from "../bus/bus";
import type { ConversationMembers, ConversationRecord, ConversationView } from "../store/store";

/** The protocol's Conversation from the store's per-member view (`userId` is whose view it is). */
export function toConversation(view: ConversationView, userId: string, now: number): Conversation {
  const conversation: Conversation = {
    ...toSharedConversation(view, now),
    readSeq: view.readSeq,
    unread: view.unread,
    settings: view.settings,
  };
  if (view.lastMentionSeq > 0) conversation.lastMentionSeq = view.lastMentionSeq;
  const mutedUntil = mutedUntilOf(view, userId, now);
  if (mutedUntil !== undefined) conversation.mutedUntil = mutedUntil;
  return conversation;
}

/** What every member's view has in common (the body a `conversation` event carries once). */
export function toSharedConversation(view: ConversationMembers["conversation"], now: number): SharedConversation {
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
  Object.assign(shared, groupFields(view, now));
  return shared;
}

/** Roles and group state (groups only): ownerId and adminIds always, the rest while set. */
export function groupFields(
  record: ConversationRecord,
  now: number,
): Pick<Conversation, "ownerId" | "adminIds" | "announcement" | "mutedAll" | "mutedAllUntil" | "dissolved"> {
  if (record.kind !== "group") return {};
  const fields: ReturnType<typeof groupFields> = { adminIds: record.adminIds };
  if (record.ownerId !== undefined) fields.ownerId = record.ownerId;
  if (record.announcement !== undefined) fields.announcement = record.announcement;
  const mutedAll = record.mutedAllUntil > now;
  fields.mutedAll = mutedAll;
  if (mutedAll) fields.mutedAllUntil = record.mutedAllUntil;
  if (record.dissolvedAt !== undefined) fields.dissolved = true;
  return fields;
}

/** The member's own mute while it lasts; absent when not muted (a mute ends by itself at its time). */
export function mutedUntilOf(record: ConversationRecord, userId: string, now: number): number | undefined {
  const mute = record.mutes.find((m) => m.userId === userId);
  return mute && mute.untilMs > now ? mute.untilMs : undefined;
}

/** One member's view: the shared body with that member's cursor, unread count, mentions, settings and mute. */
export function memberView(shared: SharedConversation, part: MemberPart): Conversation {
  return { ...shared, ...ownFields(part) };
}

/** A member's own fields of a Conversation, in the order the fan-out writes them (gateway/fanout.ts). */
export function ownFields(
  part: MemberPart,
): Pick<Conversation, "readSeq" | "unread" | "lastMentionSeq" | "settings" | "mutedUntil"> {
  const own: ReturnType<typeof ownFields> = { readSeq: part.readSeq, unread: part.unread, settings: part.settings };
  if (part.lastMentionSeq > 0) own.lastMentionSeq = part.lastMentionSeq;
  if (part.mutedUntil !== undefined) own.mutedUntil = part.mutedUntil;
  return own;
}
