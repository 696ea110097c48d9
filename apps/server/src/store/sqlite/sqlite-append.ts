import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { clientKey, newMessagesPerConversation, planAppend } from "../append-plan";
import { type MessageRow, toMessage, toMessageRow } from "../message-row";
import { caseOf } from "../sql-case";
import type { AppendInput, AppendResult } from "../store";
import { conversations, members, messages } from "./schema";

export type SqliteTx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];

/** Rows per INSERT: 7 parameters each stays well under SQLite's variable limit. */
const INSERT_CHUNK = 1000;

/**
 * One group-commit batch inside a write transaction (the caller holds the
 * write lock). Three statements per batch, whatever its size: bump every
 * touched conversation's counter (UPDATE … CASE … RETURNING gives the new
 * values, from which the seqs follow), one multi-row INSERT, one UPDATE … FROM
 * VALUES for the senders' read cursors. With `checkStored`, duplicates are
 * looked up first (see withOptimisticDedupe).
 */
export async function appendInTransaction(
  tx: SqliteTx,
  batch: readonly AppendInput[],
  checkStored: boolean,
): Promise<AppendResult[]> {
  const stored = checkStored ? await storedDuplicates(tx, batch) : new Map();
  const counts = newMessagesPerConversation(batch, stored);
  if (counts.length === 0) return planAppend(batch, new Map(), stored).results;

  const bumped = await tx
    .update(conversations)
    .set({
      lastSeq: sql`${conversations.lastSeq} + ${caseOf(
        conversations.id,
        counts.map((c) => [c.id, c.lastSeq]),
      )}`,
      updatedAt: sql`max(${conversations.updatedAt}, ${caseOf(
        conversations.id,
        counts.map((c) => [c.id, c.updatedAt]),
      )})`,
    })
    .where(
      inArray(
        conversations.id,
        counts.map((c) => c.id),
      ),
    )
    .returning({ id: conversations.id, lastSeq: conversations.lastSeq });
  const added = new Map(counts.map((c) => [c.id, c.lastSeq]));
  const lastSeqBefore = new Map(bumped.map((c) => [c.id, c.lastSeq - (added.get(c.id) ?? 0)]));

  const plan = planAppend(batch, lastSeqBefore, stored);
  // The counts assumed every conversation exists. When one does not, a clientMsgId
  // repeated across conversations can shift what is new elsewhere: set those counters
  // to what the plan allocated (rare; one more statement then).
  const bumpedTo = new Map(bumped.map((c) => [c.id, c.lastSeq]));
  const corrections = plan.conversations.filter((c) => bumpedTo.get(c.id) !== c.lastSeq);
  const unused = bumped.filter((c) => !plan.conversations.some((p) => p.id === c.id));
  if (corrections.length > 0 || unused.length > 0) {
    const exact = [
      ...corrections.map((c): [string, number] => [c.id, c.lastSeq]),
      ...unused.map((c): [string, number] => [c.id, lastSeqBefore.get(c.id) ?? c.lastSeq]),
    ];
    await tx
      .update(conversations)
      .set({ lastSeq: caseOf(conversations.id, exact) })
      .where(
        inArray(
          conversations.id,
          exact.map(([id]) => id),
        ),
      );
  }
  for (let i = 0; i < plan.inserts.length; i += INSERT_CHUNK) {
    await tx.insert(messages).values(plan.inserts.slice(i, i + INSERT_CHUNK).map(toMessageRow));
  }
  if (plan.readCursors.length > 0) {
    const cursors = sql.join(
      plan.readCursors.map((c) => sql`(${c.conversationId}, ${c.userId}, ${c.seq})`),
      sql`, `,
    );
    // Column names are fixed text; values are bound parameters. SQLite names VALUES columns column1..3.
    await tx.run(sql`update ${members} set read_seq = max(read_seq, cursor.column3)
      from (values ${cursors}) as cursor
      where ${members.conversationId} = cursor.column1 and ${members.userId} = cursor.column2`);
  }
  return plan.results;
}

/** Messages already stored under the batch's (senderId, clientMsgId) keys. */
async function storedDuplicates(tx: SqliteTx, batch: readonly AppendInput[]) {
  const keys = new Map(batch.map((m) => [clientKey(m.senderId, m.clientMsgId), m]));
  const rows: MessageRow[] = await tx
    .select()
    .from(messages)
    .where(
      or(
        ...[...keys.values()].map((m) =>
          and(eq(messages.senderId, m.senderId), eq(messages.clientMsgId, m.clientMsgId)),
        ),
      ),
    );
  return new Map(rows.map((r) => [clientKey(r.senderId, r.clientMsgId), toMessage(r)]));
}

/** A UNIQUE constraint fired: a (senderId, clientMsgId) was stored before. */
export function isSqliteUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (typeof message === "string" && message.includes("UNIQUE constraint failed")) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
