import { Limits } from "@mpchat/protocol";
import { eq } from "drizzle-orm";
import { toConversationRecord, uniqueInOrder } from "../conversation-record";
import { GroupFullError } from "../errors";
import type { ConversationRecord } from "../store";
import { loadRecord } from "./conversation-reads";
import type { SqlScope } from "./sql-db";

/* Conversation and member writes of both dialects; each runs inside a transaction its caller holds. */

export async function insertMembers(
  q: SqlScope,
  conversationId: string,
  userIds: string[],
  firstPosition: number,
  now: number,
): Promise<void> {
  if (userIds.length === 0) return;
  await q.db
    .insert(q.t.members)
    .values(
      userIds.map((userId, i) => ({ conversationId, userId, readSeq: 0, position: firstPosition + i, joinedAt: now })),
    );
}

/** Inserts a direct conversation and its two members (the unique direct key refuses a second one). */
export async function insertDirect(
  q: SqlScope,
  input: { id: string; a: string; b: string; now: number },
  directKey: string,
): Promise<ConversationRecord> {
  const { id, now } = input;
  await q.db
    .insert(q.t.conversations)
    .values({ id, kind: "direct", title: "", directKey, createdAt: now, updatedAt: now });
  await insertMembers(q, id, uniqueInOrder([input.a, input.b]), 0, now);
  const conversation = await loadRecord(q, id);
  if (!conversation) throw new Error("direct conversation vanished inside its transaction");
  return conversation;
}

/** Inserts a group and its members; the first member (the creator) owns it. Callers check MAX_GROUP_MEMBERS first. */
export async function insertGroup(
  q: SqlScope,
  input: { id: string; title: string; memberIds: string[]; now: number },
): Promise<ConversationRecord> {
  const { id, title, now } = input;
  const memberIds = uniqueInOrder(input.memberIds);
  await q.db.insert(q.t.conversations).values({
    id,
    kind: "group",
    title,
    directKey: null,
    createdAt: now,
    updatedAt: now,
    ownerId: memberIds[0] ?? null,
  });
  await insertMembers(q, id, memberIds, 0, now);
  return toConversationRecord(
    { ...input, kind: "group", lastSeq: 0, createdAt: now, updatedAt: now, ownerId: memberIds[0] ?? null },
    memberIds.map((userId) => ({ userId })),
  );
}

/**
 * Adds the members not in yet, all or nothing (GroupFullError past
 * MAX_GROUP_MEMBERS). The caller holds the conversation's lock, which orders
 * concurrent additions (positions stay distinct) and makes each one count the
 * members of every addition that committed before it.
 */
export async function addMembersLocked(
  q: SqlScope,
  conversationId: string,
  userIds: readonly string[],
  now: number,
): Promise<ConversationRecord | null> {
  const { members } = q.t;
  const current = await q.db
    .select({ userId: members.userId, position: members.position })
    .from(members)
    .where(eq(members.conversationId, conversationId));
  const present = new Set(current.map((m) => m.userId));
  const fresh = uniqueInOrder(userIds).filter((id) => !present.has(id));
  if (fresh.length > 0) {
    const limit = Limits.MAX_GROUP_MEMBERS;
    if (current.length + fresh.length > limit) throw new GroupFullError(limit);
    const next = Math.max(-1, ...current.map((m) => Number(m.position))) + 1;
    await insertMembers(q, conversationId, fresh, next, now);
    await touchConversation(q, conversationId, now);
  }
  return loadRecord(q, conversationId);
}

/** A membership change counts as activity: `updatedAt` moves forward to `now` (never back). */
export async function touchConversation(q: SqlScope, conversationId: string, now: number): Promise<void> {
  const { conversations } = q.t;
  await q.db
    .update(conversations)
    .set({ updatedAt: q.greatest(conversations.updatedAt, now) })
    .where(eq(conversations.id, conversationId));
}
