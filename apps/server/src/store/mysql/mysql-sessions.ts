import { and, eq, isNull } from "drizzle-orm";
import type { SessionRecord } from "../store";
import type { MysqlConnections } from "./mysql-connections";
import { sessions } from "./schema";

/** The session queries of the MySQL store. */
export async function insertSession(
  connections: MysqlConnections,
  session: { id: string; userId: string; createdAt: number },
): Promise<void> {
  await connections.use((db) => db.insert(sessions).values({ ...session, endedAt: null }));
}

export function selectSession(connections: MysqlConnections, id: string): Promise<SessionRecord | null> {
  return connections.use(async (db) => {
    const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
    return row ?? null;
  });
}

export async function markSessionEnded(
  connections: MysqlConnections,
  id: string,
  endedAt: number,
): Promise<SessionRecord | null> {
  // Only a live session gets an end time: a second logout keeps the first.
  await connections.use((db) =>
    db
      .update(sessions)
      .set({ endedAt })
      .where(and(eq(sessions.id, id), isNull(sessions.endedAt))),
  );
  return selectSession(connections, id);
}
