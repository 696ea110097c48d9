import type { ConversationKind, MemberReadSeq } from "@mpchat/protocol";
import { type MessageRow, toMessage } from "./message-row";
import type { ConversationMembers, ConversationRecord, MemberCursor, MemberMute } from "./store";

/** A `conversations` row as both dialects return it. */
export interface ConversationRow {
  id: string;
  kind: ConversationKind;
  title: string;
  lastSeq: number;
  createdAt: number;
  updatedAt: number;
  ownerId?: string | null;
  announcement?: string | null;
  mutedAllUntil?: number | null;
  dissolvedAt?: number | null;
}

/** A member's row as the record needs it: who, in join order, with their role and mute. */
export interface MemberRoleRow {
  userId: string;
  isAdmin?: boolean | number | null;
  mutedUntil?: number | null;
}

/** The record of a conversation row and its members (in join order). */
export function toConversationRecord(row: ConversationRow, memberRows: readonly MemberRoleRow[]): ConversationRecord {
  const adminIds: string[] = [];
  const mutes: MemberMute[] = [];
  for (const member of memberRows) {
    if (member.isAdmin && member.userId !== row.ownerId) adminIds.push(member.userId);
    const until = Number(member.mutedUntil ?? 0);
    if (until > 0) mutes.push({ userId: member.userId, untilMs: until });
  }
  const record: ConversationRecord = {
    id: row.id,
    kind: row.kind,
    title: row.title,
    memberIds: memberRows.map((m) => m.userId),
    lastSeq: Number(row.lastSeq),
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
    adminIds,
    mutes,
    mutedAllUntil: Number(row.mutedAllUntil ?? 0),
  };
  if (row.ownerId) record.ownerId = row.ownerId;
  if (row.announcement) record.announcement = row.announcement;
  if (row.dissolvedAt !== null && row.dissolvedAt !== undefined) record.dissolvedAt = Number(row.dissolvedAt);
  return record;
}

/** Rows per conversation from rows already ordered by join position. */
export function groupByConversation<T extends { conversationId: string }>(rows: readonly T[]): Map<string, T[]> {
  const byConversation = new Map<string, T[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversationId);
    if (list) list.push(row);
    else byConversation.set(row.conversationId, [row]);
  }
  return byConversation;
}

/** Members' read cursors from member rows in join order. */
export function readSeqsOf(rows: readonly { userId: string; readSeq: number }[]): MemberReadSeq[] {
  return rows.map((row) => ({ userId: row.userId, readSeq: Number(row.readSeq) }));
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
  memberRows: readonly (MemberRoleRow & MemberPartRow)[],
): ConversationMembers {
  const members = memberRows.map(toMemberPart);
  const conversation: ConversationMembers["conversation"] = {
    ...toConversationRecord(row, memberRows),
    memberReadSeqs: members.map((m) => ({ userId: m.userId, readSeq: m.readSeq })),
  };
  if (last) conversation.lastMessage = toMessage(last);
  return { conversation, members };
}
