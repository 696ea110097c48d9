import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { clientKey, planAppend } from "../append-plan";
import { toMessage, toMessageRow } from "../message-row";
import { caseOf } from "../sql-case";
import type { AppendInput, AppendResult } from "../store";
import { conversations, members, messages } from "./schema";

export type SqliteTx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];

/** Rows per INSERT: 7 parameters each stays well under SQLite's variable limit. */
const INSERT_CHUNK = 1000;

/**
 * One group-commit batch inside a write transaction (the caller holds the
 * write lock and opened the transaction). Statements per batch, not per row:
 * read counters, read duplicates, one multi-row INSERT, one UPDATE … CASE for
 * the conversations, one for the senders' read cursors.
 */
export async function appendInTransaction(tx: SqliteTx, batch: readonly AppendInput[]): Promise<AppendResult[]> {
  const conversationIds = [...new Set(batch.map((m) => m.conversationId))];
  const counters = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(inArray(conversations.id, conversationIds));
  const lastSeqOf = new Map(counters.map((c) => [c.id, c.lastSeq]));

  const keys = new Map(batch.map((m) => [clientKey(m.senderId, m.clientMsgId), m]));
  const storedRows = await tx
    .select()
    .from(messages)
    .where(
      or(
        ...[...keys.values()].map((m) =>
          and(eq(messages.senderId, m.senderId), eq(messages.clientMsgId, m.clientMsgId)),
        ),
      ),
    );
  const stored = new Map(storedRows.map((r) => [clientKey(r.senderId, r.clientMsgId), toMessage(r)]));

  const plan = planAppend(batch, lastSeqOf, stored);
  if (plan.inserts.length === 0) return plan.results;

  for (let i = 0; i < plan.inserts.length; i += INSERT_CHUNK) {
    await tx.insert(messages).values(plan.inserts.slice(i, i + INSERT_CHUNK).map(toMessageRow));
  }
  await tx
    .update(conversations)
    .set({
      lastSeq: caseOf(
        conversations.id,
        plan.conversations.map((c) => [c.id, c.lastSeq]),
      ),
      updatedAt: sql`max(${conversations.updatedAt}, ${caseOf(
        conversations.id,
        plan.conversations.map((c) => [c.id, c.updatedAt]),
      )})`,
    })
    .where(
      inArray(
        conversations.id,
        plan.conversations.map((c) => c.id),
      ),
    );
  const cursorMatch = plan.readCursors.map((c) =>
    and(eq(members.conversationId, c.conversationId), eq(members.userId, c.userId)),
  );
  await tx
    .update(members)
    .set({
      readSeq: sql`max(${members.readSeq}, case ${sql.join(
        plan.readCursors.map((c, i) => sql`when ${cursorMatch[i]} then ${c.seq}`),
        sql` `,
      )} else ${members.readSeq} end)`,
    })
    .where(or(...cursorMatch));
  return plan.results;
}
