import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { clientKey, planAppend } from "../append-plan";
import { toMessage, toMessageRow } from "../message-row";
import { caseOf } from "../sql-case";
import type { AppendInput, AppendResult } from "../store";
import type { MysqlDb } from "./mysql-connections";
import { conversations, members, messages } from "./schema";

/** Rows per INSERT: keeps one statement well under max_allowed_packet with 4000-character texts. */
const INSERT_CHUNK = 500;

/**
 * One group-commit batch inside a transaction. Seqs stay dense across
 * processes because the conversation rows are locked (SELECT … FOR UPDATE, in
 * primary-key order so two batches cannot deadlock on them) before anything is
 * read or allocated, and duplicates are looked up only after the lock, when
 * every earlier holder has committed. Statements per batch, not per row.
 */
export async function appendInTransaction(tx: MysqlDb, batch: readonly AppendInput[]): Promise<AppendResult[]> {
  const conversationIds = [...new Set(batch.map((m) => m.conversationId))].sort();
  const counters = await tx
    .select({ id: conversations.id, lastSeq: conversations.lastSeq })
    .from(conversations)
    .where(inArray(conversations.id, conversationIds))
    .orderBy(asc(conversations.id))
    .for("update");
  const lastSeqOf = new Map(counters.map((c) => [c.id, Number(c.lastSeq)]));

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
  const cursorMatch = plan.readCursors.map((c) =>
    and(eq(members.conversationId, c.conversationId), eq(members.userId, c.userId)),
  );
  await tx
    .update(members)
    .set({
      readSeq: sql`greatest(${members.readSeq}, case ${sql.join(
        plan.readCursors.map((c, i) => sql`when ${cursorMatch[i]} then ${c.seq}`),
        sql` `,
      )} else ${members.readSeq} end)`,
    })
    .where(or(...cursorMatch));
  return plan.results;
}
