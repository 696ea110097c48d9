import type { MemberReadSeq } from "@mpchat/protocol";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import {
  groupMemberIds,
  groupMemberReadSeqs,
  toConversationMembers,
  toConversationRecord,
} from "../conversation-record";
import { toMessage } from "../message-row";
import type { ConversationMembers, ConversationRecord, ConversationView } from "../store";
import type { MysqlDb } from "./mysql-connections";
import { conversations, members, messages } from "./schema";

/* Reads and member inserts shared by the MySQL store's operations, in or out of a transaction. */

export async function insertMembers(
  tx: MysqlDb,
  conversationId: string,
  userIds: string[],
  firstPosition: number,
  now: number,
) {
  if (userIds.length === 0) return;
  await tx
    .insert(members)
    .values(
      userIds.map((userId, i) => ({ conversationId, userId, readSeq: 0, position: firstPosition + i, joinedAt: now })),
    );
}

export async function memberIdsOf(db: MysqlDb, conversationIds: string[]): Promise<Map<string, string[]>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .select({ conversationId: members.conversationId, userId: members.userId })
    .from(members)
    .where(inArray(members.conversationId, conversationIds))
    .orderBy(asc(members.conversationId), asc(members.position), asc(members.userId));
  return groupMemberIds(rows);
}

/** Members with their read cursors for many conversations in one query, in join order. */
export async function memberReadSeqsOf(db: MysqlDb, conversationIds: string[]) {
  if (conversationIds.length === 0) return new Map<string, MemberReadSeq[]>();
  const rows = await db
    .select({ conversationId: members.conversationId, userId: members.userId, readSeq: members.readSeq })
    .from(members)
    .where(inArray(members.conversationId, conversationIds))
    .orderBy(asc(members.conversationId), asc(members.position), asc(members.userId));
  return groupMemberReadSeqs(rows);
}

export async function loadRecord(db: MysqlDb, id: string): Promise<ConversationRecord | null> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  if (!row) return null;
  const ids = await memberIdsOf(db, [id]);
  return toConversationRecord(row, ids.get(id) ?? []);
}

/** The user's conversations with cursor, unread count (range scan on (conversation, seq)) and newest message. */
export async function loadViews(db: MysqlDb, userId: string, onlyConversationId?: string): Promise<ConversationView[]> {
  const last = alias(messages, "last_message");
  const unread = sql<number>`(select count(*) from ${messages} where ${messages.conversationId} = ${conversations.id} and ${messages.seq} > ${members.readSeq} and ${messages.senderId} <> ${userId})`;
  const rows = await db
    .select({ conversation: conversations, readSeq: members.readSeq, unread, last })
    .from(members)
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .leftJoin(last, and(eq(last.conversationId, conversations.id), eq(last.seq, conversations.lastSeq)))
    .where(
      and(
        eq(members.userId, userId),
        onlyConversationId === undefined ? undefined : eq(members.conversationId, onlyConversationId),
      ),
    )
    .orderBy(desc(conversations.updatedAt), desc(conversations.id));
  // One query for the members of every listed conversation, with their cursors.
  const cursors = await memberReadSeqsOf(
    db,
    rows.map((r) => r.conversation.id),
  );
  return rows.map((r) => {
    const memberReadSeqs = cursors.get(r.conversation.id) ?? [];
    const view: ConversationView = {
      ...toConversationRecord(
        r.conversation,
        memberReadSeqs.map((m) => m.userId),
      ),
      readSeq: Number(r.readSeq),
      unread: Number(r.unread),
      memberReadSeqs,
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
export async function loadConversationMembers(db: MysqlDb, id: string): Promise<ConversationMembers | null> {
  const last = alias(messages, "last_message");
  const [row] = await db
    .select({ conversation: conversations, last })
    .from(conversations)
    .leftJoin(last, and(eq(last.conversationId, conversations.id), eq(last.seq, conversations.lastSeq)))
    .where(eq(conversations.id, id));
  if (!row) return null;
  const unread = sql<number>`(select count(*) from ${messages} where ${messages.conversationId} = ${members.conversationId} and ${messages.seq} > ${members.readSeq} and ${messages.senderId} <> ${members.userId})`;
  const memberRows = await db
    .select({ userId: members.userId, readSeq: members.readSeq, unread })
    .from(members)
    // The join makes the query name every column with its table (the subquery needs members' own).
    .innerJoin(conversations, eq(conversations.id, members.conversationId))
    .where(eq(members.conversationId, id))
    .orderBy(asc(members.position), asc(members.userId));
  return toConversationMembers(row.conversation, row.last, memberRows);
}
