import type { Message } from "@mpchat/protocol";
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { toMessage } from "../message-row";
import type { Page, PageQuery, SettingsPatch } from "../store";
import type { SqlScope } from "./sql-db";

/* Message reads and read cursors of both dialects (appends are each dialect's own: see the appenders). */

export async function selectByClientMsgId(q: SqlScope, senderId: string, clientMsgId: string): Promise<Message | null> {
  const { messages } = q.t;
  const [row] = await q.db
    .select()
    .from(messages)
    .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)));
  return row ? toMessage(row) : null;
}

export async function selectMessage(q: SqlScope, id: string): Promise<Message | null> {
  const { messages } = q.t;
  const [row] = await q.db.select().from(messages).where(eq(messages.id, id));
  return row ? toMessage(row) : null;
}

/** The recall message whose target is `messageId` (unique key on recall_of). */
export async function selectRecallOf(q: SqlScope, messageId: string): Promise<Message | null> {
  const { messages } = q.t;
  const [row] = await q.db.select().from(messages).where(eq(messages.recallOf, messageId));
  return row ? toMessage(row) : null;
}

/** A page of a conversation's history (see PageQuery), always returned in ascending seq order. */
export async function selectPage(q: SqlScope, conversationId: string, query: PageQuery): Promise<Page> {
  const { messages } = q.t;
  const descending = query.beforeSeq !== undefined && query.afterSeq === undefined;
  const bounds = [
    eq(messages.conversationId, conversationId),
    query.afterSeq !== undefined || !descending ? gt(messages.seq, query.afterSeq ?? 0) : undefined,
    query.beforeSeq !== undefined ? lt(messages.seq, query.beforeSeq) : undefined,
  ];
  const rows = await q.db
    .select()
    .from(messages)
    .where(and(...bounds))
    .orderBy(descending ? desc(messages.seq) : asc(messages.seq))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit).map(toMessage);
  if (descending) page.reverse();
  return { messages: page, hasMore };
}

export async function selectIsMember(q: SqlScope, conversationId: string, userId: string): Promise<boolean> {
  const { members } = q.t;
  const [row] = await q.db
    .select({ one: sql<number>`1` })
    .from(members)
    .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
  return row !== undefined;
}

/** Writes the fields of `patch` into the member's settings; false when they are not a member. */
export async function updateMemberSettings(
  q: SqlScope,
  conversationId: string,
  userId: string,
  patch: SettingsPatch,
): Promise<boolean> {
  const { members } = q.t;
  const member = and(eq(members.conversationId, conversationId), eq(members.userId, userId));
  const set: { pinned?: boolean; notificationsMuted?: boolean; draft?: string | null } = {};
  if (patch.pinned !== undefined) set.pinned = patch.pinned;
  if (patch.muted !== undefined) set.notificationsMuted = patch.muted;
  if (patch.draft !== undefined) set.draft = patch.draft === "" ? null : patch.draft;
  if (Object.keys(set).length > 0) await q.db.update(members).set(set).where(member);
  return selectIsMember(q, conversationId, userId);
}

/** Moves the member's read cursor forward only, clamped to the conversation's lastSeq; the cursor after. */
export async function advanceReadSeq(
  q: SqlScope,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<number> {
  const { conversations, members } = q.t;
  const member = and(eq(members.conversationId, conversationId), eq(members.userId, userId));
  const lastSeq = sql`(select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId})`;
  await q.db
    .update(members)
    .set({ readSeq: q.greatest(members.readSeq, q.least(seq, lastSeq)) })
    .where(member);
  const [row] = await q.db.select({ readSeq: members.readSeq }).from(members).where(member);
  return Number(row?.readSeq ?? 0);
}
