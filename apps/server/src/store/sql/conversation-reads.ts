import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
// drizzle's `alias` is the same table-agnostic Proxy in every dialect (drizzle-orm/alias.js).
import { alias } from "drizzle-orm/sqlite-core";
import {
  groupByConversation,
  readSeqsOf,
  toConversationMembers,
  toConversationRecord,
  toMemberPart,
} from "../conversation-record";
import { toMessage } from "../message-row";
import type { ConversationMembers, ConversationRecord, ConversationView } from "../store";
import type { SqlScope } from "./sql-db";

/* Conversation reads of both dialects, in or out of a transaction. */

/** Members of many conversations in one query, in join order, with their cursors, roles and mutes. */
export async function memberRowsOf(q: SqlScope, conversationIds: string[]): Promise<Map<string, MemberRow[]>> {
  if (conversationIds.length === 0) return new Map();
  const { members } = q.t;
  const rows = await q.db
    .select({
      conversationId: members.conversationId,
      userId: members.userId,
      readSeq: members.readSeq,
      isAdmin: members.isAdmin,
      mutedUntil: members.mutedUntil,
    })
    .from(members)
    .where(inArray(members.conversationId, conversationIds))
    .orderBy(asc(members.conversationId), asc(members.position), asc(members.userId));
  return groupByConversation(rows);
}

interface MemberRow {
  conversationId: string;
  userId: string;
  readSeq: number;
  isAdmin: boolean;
  mutedUntil: number;
}

export async function loadRecord(q: SqlScope, id: string): Promise<ConversationRecord | null> {
  const { conversations } = q.t;
  const [row] = await q.db.select().from(conversations).where(eq(conversations.id, id));
  if (!row) return null;
  const rows = await memberRowsOf(q, [id]);
  return toConversationRecord(row, rows.get(id) ?? []);
}

/** The direct conversation with this `directKeyOf` pair, if any. */
export async function findDirect(q: SqlScope, directKey: string): Promise<ConversationRecord | null> {
  const { conversations } = q.t;
  const [row] = await q.db.select().from(conversations).where(eq(conversations.directKey, directKey));
  if (!row) return null;
  const rows = await memberRowsOf(q, [row.id]);
  return toConversationRecord(row, rows.get(row.id) ?? []);
}

/**
 * Unread messages of the member in the query's `members` row: after their cursor, sent by
 * others, and not quiet (system, recall and recalled messages count toward no unread).
 * A range scan on (conversation, seq).
 */
function unreadOf(q: SqlScope, memberId: SQL | string): SQL<number> {
  const { members, messages } = q.t;
  return sql<number>`(select count(*) from ${messages} where ${messages.conversationId} = ${members.conversationId} and ${messages.seq} > ${members.readSeq} and ${messages.senderId} <> ${memberId} and ${messages.quiet} = ${false})`;
}

/** The member's own columns besides the cursor: mentions and settings (see toMemberPart). */
function memberOwnColumns(q: SqlScope) {
  const { conversations, members } = q.t;
  return {
    lastMentionSeq: members.lastMentionSeq,
    lastMentionAllSeq: conversations.lastMentionAllSeq,
    pinned: members.pinned,
    muted: members.notificationsMuted,
    draft: members.draft,
  };
}

/**
 * The user's conversations with cursor, unread count, mentions, settings and newest
 * message: pinned first, then the most recent activity.
 */
export async function loadViews(q: SqlScope, userId: string, onlyConversationId?: string): Promise<ConversationView[]> {
  const { conversations, members, messages } = q.t;
  const last = alias(messages, "last_message");
  const unread = unreadOf(q, userId);
  const rows = await q.db
    .select({ conversation: conversations, readSeq: members.readSeq, unread, ...memberOwnColumns(q), last })
    .from(members)
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .leftJoin(last, and(eq(last.conversationId, conversations.id), eq(last.seq, conversations.lastSeq)))
    .where(
      and(
        eq(members.userId, userId),
        onlyConversationId === undefined ? undefined : eq(members.conversationId, onlyConversationId),
      ),
    )
    .orderBy(desc(members.pinned), desc(conversations.updatedAt), desc(conversations.id));
  // One query for the members of every listed conversation, with their cursors.
  const memberRows = await memberRowsOf(
    q,
    rows.map((r) => r.conversation.id),
  );
  return rows.map((r) => {
    const ofConversation = memberRows.get(r.conversation.id) ?? [];
    const { userId: _, ...own } = toMemberPart({ ...r, userId });
    const view: ConversationView = {
      ...toConversationRecord(r.conversation, ofConversation),
      ...own,
      memberReadSeqs: readSeqsOf(ofConversation),
    };
    if (r.last) view.lastMessage = toMessage(r.last);
    return view;
  });
}

/**
 * One conversation as all its members see it, in two queries whatever the
 * member count: the conversation with its newest message, then every member's
 * cursor and unread count (range scans on (conversation, seq)), in join order.
 */
export async function loadConversationMembers(q: SqlScope, id: string): Promise<ConversationMembers | null> {
  const { conversations, members, messages } = q.t;
  const last = alias(messages, "last_message");
  const [row] = await q.db
    .select({ conversation: conversations, last })
    .from(conversations)
    .leftJoin(last, and(eq(last.conversationId, conversations.id), eq(last.seq, conversations.lastSeq)))
    .where(eq(conversations.id, id));
  if (!row) return null;
  const unread = unreadOf(q, sql`${members.userId}`);
  const memberRows = await q.db
    .select({
      userId: members.userId,
      readSeq: members.readSeq,
      isAdmin: members.isAdmin,
      mutedUntil: members.mutedUntil,
      unread,
      ...memberOwnColumns(q),
    })
    .from(members)
    // The join makes the query name every column with its table (the subquery needs members' own).
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(eq(members.conversationId, id))
    .orderBy(asc(members.position), asc(members.userId));
  return toConversationMembers(row.conversation, row.last, memberRows);
}
