import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { clientKey, planAppend } from "../append-plan";
import { type MessageRow, toMessage, toMessageRow } from "../message-row";
import { caseOf } from "../sql-case";
import type { AppendInput, AppendResult } from "../store";
import type { MysqlDb } from "./mysql-connections";
import { conversations, members, messages } from "./schema";

/** Rows per INSERT: keeps one statement well under max_allowed_packet with 4000-character texts. */
const INSERT_CHUNK = 500;

/**
 * One group-commit batch inside a transaction. Seqs stay dense across
 * processes because the conversation rows are locked first (SELECT … FOR
 * UPDATE, in primary-key order so that two batches cannot deadlock on them);
 * whatever a previous lock holder stored is committed by then, so the unique
 * key on (sender_id, client_msg_id) catches any repeat in the INSERT and, with
 * `checkStored`, the lookup after the lock returns the originals (see
 * withOptimisticDedupe). Four statements per batch, whatever its size.
 */
export async function appendInTransaction(
  tx: MysqlDb,
  batch: readonly AppendInput[],
  checkStored: boolean,
): Promise<AppendResult[]> {
  const conversationIds = [...new Set(batch.map((m) => m.conversationId))].sort();
  const counters = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(inArray(conversations.id, conversationIds))
    .orderBy(asc(conversations.id))
    .for("update");
  const lastSeqOf = new Map(counters.map((c) => [c.id, Number(c.lastSeq)]));

  const stored = checkStored ? await storedDuplicates(tx, batch) : new Map();
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
      updatedAt: sql`greatest(${conversations.updatedAt}, ${caseOf(
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
  // The cursors as a derived table joined on the primary key: one lookup per
  // cursor, where a CASE would compare every row with every cursor.
  const cursors = sql.join(
    plan.readCursors.map((c, i) =>
      i === 0
        ? sql`select ${c.conversationId} as conversation_id, ${c.userId} as user_id, ${c.seq} as seq`
        : sql`select ${c.conversationId}, ${c.userId}, ${c.seq}`,
    ),
    sql` union all `,
  );
  await tx.execute(sql`update ${members} join (${cursors}) as sent
    on ${members.conversationId} = sent.conversation_id and ${members.userId} = sent.user_id
    set ${members.readSeq} = greatest(${members.readSeq}, sent.seq)`);
  return plan.results;
}

/** Messages already stored under the batch's (senderId, clientMsgId) keys. */
async function storedDuplicates(tx: MysqlDb, batch: readonly AppendInput[]) {
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
