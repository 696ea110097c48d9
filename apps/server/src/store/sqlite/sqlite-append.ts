import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { clientKey, newMessagesPerConversation, planAppend } from "../append-plan";
import { type MessageRow, toMessage } from "../message-row";
import { caseOf } from "../sql-case";
import type { AppendInput, AppendResult } from "../store";
import { conversations, members, messages } from "./schema";

export type SqliteTx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];

/**
 * One group-commit batch inside a write transaction (the caller holds the
 * write lock). Three statements per batch, whatever its size: bump every
 * touched conversation's counter (UPDATE … RETURNING gives the new values,
 * from which the seqs follow), one INSERT of all rows, one UPDATE of the
 * senders' read cursors. With `checkStored`, duplicates are looked up first
 * (see withOptimisticDedupe).
 *
 * Each statement takes its rows as ONE bound parameter, a JSON array unpacked
 * by `json_each`: the SQL text stays short and constant, so SQLite parses a few
 * hundred bytes instead of thousands of placeholders, and building the query
 * costs nothing per row. Values never become SQL text.
 */
export async function appendInTransaction(
  tx: SqliteTx,
  batch: readonly AppendInput[],
  checkStored: boolean,
): Promise<AppendResult[]> {
  const stored = checkStored ? await storedDuplicates(tx, batch) : new Map();
  const counts = newMessagesPerConversation(batch, stored);
  if (counts.length === 0) return planAppend(batch, new Map(), stored).results;

  const bumps = JSON.stringify(counts.map((c) => [c.id, c.lastSeq, c.updatedAt]));
  const bumped = await tx.all<{ id: string; lastSeq: number }>(sql`
    update ${conversations}
    set last_seq = last_seq + (bump.value ->> 1), updated_at = max(updated_at, bump.value ->> 2)
    from json_each(${bumps}) as bump
    where ${conversations.id} = bump.value ->> 0
    returning ${conversations.id} as id, ${conversations.lastSeq} as lastSeq`);
  const added = new Map(counts.map((c) => [c.id, c.lastSeq]));
  const lastSeqBefore = new Map(bumped.map((c) => [c.id, Number(c.lastSeq) - (added.get(c.id) ?? 0)]));

  const plan = planAppend(batch, lastSeqBefore, stored);
  // The counts assumed every conversation exists. When one does not, a clientMsgId
  // repeated across conversations can shift what is new elsewhere: set those counters
  // to what the plan allocated (rare; one more statement then).
  const planned = new Map(plan.conversations.map((c) => [c.id, c.lastSeq]));
  const exact = bumped
    .filter((c) => planned.get(c.id) !== Number(c.lastSeq))
    .map((c): [string, number] => [c.id, planned.get(c.id) ?? lastSeqBefore.get(c.id) ?? 0]);
  if (exact.length > 0) {
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

  if (plan.inserts.length === 0) return plan.results;
  const rows = JSON.stringify(
    plan.inserts.map((m) => [
      m.id,
      m.conversationId,
      m.seq,
      m.senderId,
      m.clientMsgId,
      JSON.stringify(m.body),
      m.createdAt,
    ]),
  );
  await tx.run(sql`
    insert into ${messages} (id, conversation_id, seq, sender_id, client_msg_id, body, created_at)
    select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6
    from json_each(${rows})`);
  const cursors = JSON.stringify(plan.readCursors.map((c) => [c.conversationId, c.userId, c.seq]));
  await tx.run(sql`
    update ${members} set read_seq = max(read_seq, sent.value ->> 2)
    from json_each(${cursors}) as sent
    where ${members.conversationId} = sent.value ->> 0 and ${members.userId} = sent.value ->> 1`);
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
