import { and, eq, isNull } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { SessionRecord } from "../store";
import { sessions } from "./schema";

/** The session queries of the SQLite store (writes run under the store's write lock). */
export async function insertSession(
  db: LibSQLDatabase,
  session: { id: string; userId: string; createdAt: number },
): Promise<void> {
  await db.insert(sessions).values({ ...session, endedAt: null });
}

export async function selectSession(db: LibSQLDatabase, id: string): Promise<SessionRecord | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row ?? null;
}

export async function markSessionEnded(db: LibSQLDatabase, id: string, endedAt: number): Promise<SessionRecord | null> {
  // Only a live session gets an end time: a second logout keeps the first.
  await db
    .update(sessions)
    .set({ endedAt })
    .where(and(eq(sessions.id, id), isNull(sessions.endedAt)));
  return selectSession(db, id);
}
