import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { SessionRecord } from "../store";
import type { SqlScope } from "./sql-db";

/* Users, their contacts and their login sessions, in both dialects. */

/** Callers skip the query for no ids. */
export async function selectExistingUserIds(q: SqlScope, ids: readonly string[]): Promise<string[]> {
  const { users } = q.t;
  const rows = await q.db
    .select({ id: users.id })
    .from(users)
    .where(inArray(users.id, [...ids]));
  return rows.map((r) => r.id);
}

/** Every user who shares at least one conversation with `userId`. */
export async function selectContacts(q: SqlScope, userId: string): Promise<string[]> {
  const { members } = q.t;
  const mine = alias(members, "mine");
  const rows = await q.db
    .selectDistinct({ userId: members.userId })
    .from(mine)
    .innerJoin(members, eq(members.conversationId, mine.conversationId))
    .where(and(eq(mine.userId, userId), ne(members.userId, userId)));
  return rows.map((r) => r.userId);
}

export async function insertSession(
  q: SqlScope,
  session: { id: string; userId: string; createdAt: number },
): Promise<void> {
  await q.db.insert(q.t.sessions).values({ ...session, endedAt: null });
}

export async function selectSession(q: SqlScope, id: string): Promise<SessionRecord | null> {
  const { sessions } = q.t;
  const [row] = await q.db.select().from(sessions).where(eq(sessions.id, id));
  return row ?? null;
}

/** Ends a live session; one already ended keeps its first end time. The session after, null when unknown. */
export async function markSessionEnded(q: SqlScope, id: string, endedAt: number): Promise<SessionRecord | null> {
  const { sessions } = q.t;
  await q.db
    .update(sessions)
    .set({ endedAt })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  return selectSession(q, id);
}
