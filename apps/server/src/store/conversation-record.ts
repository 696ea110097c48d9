import type { ConversationKind, MemberReadSeq } from "@mpchat/protocol";
import { type MessageRow, toMessage } from "./message-row";
import type { ConversationMembers, ConversationRecord, MemberCursor } from "./store";

/** A `conversations` row as both dialects return it. */
export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  title: string;
  lastSeq: number;
  createdAt: number;
  updatedAt: number;
}

export function toConversationRecord(row: ConversationRow, memberIds: string[]): ConversationRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    memberIds,
    lastSeq: Number(row.lastSeq),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}

/** Member ids per conversation from rows already ordered by join position. */
export function groupMemberIds(rows: readonly { conversationId: string; userId: string }[]): Map<string, string[]> {
  const byConversation = new Map<string, string[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversationId);
    if (list) list.push(row.userId);
    else byConversation.set(row.conversationId, [row.userId]);
  }
  return byConversation;
}

/** Members' read cursors per conversation from rows already ordered by join position. */
export function groupMemberReadSeqs(
  rows: readonly { conversationId: string; userId: string; readSeq: number }[],
): Map<string, MemberReadSeq[]> {
  const byConversation = new Map<string, MemberReadSeq[]>();
  for (const row of rows) {
    const entry = { userId: row.userId, readSeq: Number(row.readSeq) };
    const list = byConversation.get(row.conversationId);
    if (list) list.push(entry);
    else byConversation.set(row.conversationId, [entry]);
  }
  return byConversation;
}

/** Ids in first-seen order without repeats (a member listed twice joins once). */
export function uniqueInOrder(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** A member's own columns as both dialects return them (booleans may come as 0/1). */
export interface MemberPartRow {
  userId: string;
  readSeq: number;
  unread: number;
  lastMentionSeq: number;
  /** The conversation's newest mention of all. */
  lastMentionAllSeq: number;
  pinned: boolean | number;
  muted: boolean | number;
  draft: string | null;
}

/** One member's part of a view: the newer of a mention by id and a mention of all; settings with defaults. */
export function toMemberPart(row: MemberPartRow): MemberCursor {
  const settings: MemberCursor["settings"] = { pinned: Boolean(row.pinned), muted: Boolean(row.muted) };
  if (row.draft !== null && row.draft !== "") settings.draft = row.draft;
  return {
    userId: row.userId,
    readSeq: Number(row.readSeq),
    unread: Number(row.unread),
    lastMentionSeq: Math.max(Number(row.lastMentionSeq), Number(row.lastMentionAllSeq)),
    settings,
  };
}

/** The shared view and per-member parts from a conversation row, its newest message and its members in join order. */
export function toConversationMembers(
  row: ConversationRow,
  last: MessageRow | null,
  memberRows: readonly MemberPartRow[],
): ConversationMembers {
  const members = memberRows.map(toMemberPart);
  const conversation: ConversationMembers["conversation"] = {
    ...toConversationRecord(
      row,
      members.map((m) => m.userId),
    ),
    memberReadSeqs: members.map((m) => ({ userId: m.userId, readSeq: m.readSeq })),
  };
  if (last) conversation.lastMessage = toMessage(last);
  return { conversation, members };
}
