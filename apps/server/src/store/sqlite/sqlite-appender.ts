import type { Message } from "@mpchat/protocol";
import { type SQL, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import Database from "libsql";
import { clientKey, planAppend } from "../append-plan";
import { isQuietBody, recallTargetOf, toMessage } from "../message-row";
import type { AppendInput, AppendResult } from "../store";
import { conversations, members, messages } from "./schema";

const dialect = new SQLiteAsyncDialect();

/** A statement bound by position: `run([value])` binds one parameter, `run()` none. */
function prepare(db: Database.Database, text: string) {
  return db.prepare<unknown[]>(text);
}
type Statement = ReturnType<typeof prepare>;

/** The text of a statement whose only parameters are placeholders (bound by position when run). */
function textOf(query: SQL): string {
  return dialect.sqlToQuery(query).sql;
}

const rowsParam = sql.placeholder("rows");

/**
 * Group-commit batches on a connection of their own, with every statement
 * prepared once. libsql runs statements synchronously on the event loop
 * thread, so the cost of a batch is CPU on that thread: through drizzle and
 * @libsql/client each statement was prepared again, its result rows became
 * objects with a property defined per column, and the batch was planned twice.
 * Here one transaction is one synchronous call, and rows come back as arrays.
 *
 * Each statement takes its rows as ONE bound parameter, a JSON array unpacked
 * by `json_each`: the SQL text is short and constant, and values never become
 * SQL text. The caller holds the store's write lock, so this connection and
 * the client's never write at the same time.
 */
export class SqliteAppender {
  private readonly db: Database.Database;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly counters: Statement;
  private readonly storedKeys: Statement;
  private readonly insert: Statement;
  private readonly bump: Statement;
  private readonly cursors: Statement;
  private readonly storedRecalls: Statement;
  private readonly recall: Statement;
  private readonly mention: Statement;

  constructor(path: string, timeoutMs: number) {
    this.db = new Database(path, { timeout: timeoutMs });
    try {
      // Durability of an ack: the WAL is synced at every commit (the default; stated, not assumed).
      this.db.exec("pragma synchronous = full");
      this.begin = prepare(this.db, "begin immediate");
      this.commit = prepare(this.db, "commit");
      this.rollback = prepare(this.db, "rollback");
      this.counters = prepare(
        this.db,
        textOf(sql`
          select ${conversations.id}, ${conversations.lastSeq}
          from json_each(${rowsParam}) as wanted
          join ${conversations} on ${conversations.id} = wanted.value`),
      );
      this.counters.raw(true);
      this.storedKeys = prepare(
        this.db,
        textOf(sql`
          select ${messages.id}, ${messages.conversationId}, ${messages.seq}, ${messages.senderId},
            ${messages.clientMsgId}, ${messages.body}, ${messages.createdAt}
          from json_each(${rowsParam}) as wanted
          join ${messages} on ${messages.senderId} = wanted.value ->> 0 and ${messages.clientMsgId} = wanted.value ->> 1`),
      );
      this.storedKeys.raw(true);
      this.insert = prepare(
        this.db,
        textOf(sql`
          insert into ${messages} (id, conversation_id, seq, sender_id, client_msg_id, body, created_at, quiet, recall_of)
          select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6,
            value ->> 7, value ->> 8
          from json_each(${rowsParam})`),
      );
      this.bump = prepare(
        this.db,
        textOf(sql`
          update ${conversations}
          set last_seq = bump.value ->> 1, updated_at = max(updated_at, bump.value ->> 2),
            last_mention_all_seq = max(last_mention_all_seq, bump.value ->> 3)
          from json_each(${rowsParam}) as bump
          where ${conversations.id} = bump.value ->> 0`),
      );
      this.cursors = prepare(
        this.db,
        textOf(sql`
          update ${members} set read_seq = max(read_seq, sent.value ->> 2)
          from json_each(${rowsParam}) as sent
          where ${members.conversationId} = sent.value ->> 0 and ${members.userId} = sent.value ->> 1`),
      );
      this.storedRecalls = prepare(
        this.db,
        textOf(sql`
          select ${messages.id}, ${messages.conversationId}, ${messages.seq}, ${messages.senderId},
            ${messages.clientMsgId}, ${messages.body}, ${messages.createdAt}, ${messages.recallOf}
          from json_each(${rowsParam}) as wanted
          join ${messages} on ${messages.recallOf} = wanted.value`),
      );
      this.storedRecalls.raw(true);
      // The original keeps its seq, sender and time; its body becomes `recalled` and stops counting as unread.
      this.recall = prepare(
        this.db,
        textOf(sql`
          update ${messages} set body = recalled.value ->> 2, quiet = 1
          from json_each(${rowsParam}) as recalled
          where ${messages.conversationId} = recalled.value ->> 0 and ${messages.id} = recalled.value ->> 1`),
      );
      this.mention = prepare(
        this.db,
        textOf(sql`
          update ${members} set last_mention_seq = max(last_mention_seq, mentioned.value ->> 2)
          from json_each(${rowsParam}) as mentioned
          where ${members.conversationId} = mentioned.value ->> 0 and ${members.userId} = mentioned.value ->> 1`),
      );
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  /**
   * One batch in one write transaction, synchronously. The conversations'
   * counters are read inside the transaction (BEGIN IMMEDIATE holds the write
   * lock of the file, also against other processes), seqs follow from them,
   * and the counters are set to the last seq allocated. With `checkStored`,
   * duplicates are looked up first (see withOptimisticDedupe).
   */
  append(batch: readonly AppendInput[], checkStored: boolean): AppendResult[] {
    this.begin.run();
    try {
      const ids = [...new Set(batch.map((m) => m.conversationId))];
      const lastSeqOf = new Map<string, number>();
      for (const [id, lastSeq] of this.counters.all([JSON.stringify(ids)]) as [string, number][]) {
        lastSeqOf.set(id, Number(lastSeq));
      }
      const stored = checkStored ? this.storedDuplicates(batch) : new Map<string, Message>();
      const plan = planAppend(batch, lastSeqOf, stored, this.recallsOf(batch));
      if (plan.inserts.length > 0) {
        this.insert.run([
          JSON.stringify(
            plan.inserts.map((m) => [
              m.id,
              m.conversationId,
              m.seq,
              m.senderId,
              m.clientMsgId,
              JSON.stringify(m.body),
              m.createdAt,
              isQuietBody(m.body) ? 1 : 0,
              recallTargetOf(m.body),
            ]),
          ),
        ]);
        this.bump.run([JSON.stringify(plan.conversations.map((c) => [c.id, c.lastSeq, c.updatedAt, c.mentionAllSeq]))]);
        this.cursors.run([JSON.stringify(plan.readCursors.map((c) => [c.conversationId, c.userId, c.seq]))]);
        if (plan.recalls.length > 0) {
          this.recall.run([
            JSON.stringify(plan.recalls.map((r) => [r.conversationId, r.messageId, JSON.stringify(r.body)])),
          ]);
        }
        if (plan.mentions.length > 0) {
          this.mention.run([JSON.stringify(plan.mentions.map((m) => [m.conversationId, m.userId, m.seq]))]);
        }
      }
      this.commit.run();
      return plan.results;
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }

  /** The recall messages already stored for the batch's recall targets, by target id (empty without recalls). */
  private recallsOf(batch: readonly AppendInput[]): Map<string, Message> {
    const targets = batch.map((m) => recallTargetOf(m.body)).filter((id) => id !== null);
    const stored = new Map<string, Message>();
    if (targets.length === 0) return stored;
    const rows = this.storedRecalls.all([JSON.stringify(targets)]) as [
      string,
      string,
      number,
      string,
      string,
      string,
      number,
      string,
    ][];
    for (const [id, conversationId, seq, senderId, clientMsgId, body, createdAt, recallOf] of rows) {
      stored.set(recallOf, toMessage({ id, conversationId, seq, senderId, clientMsgId, body, createdAt }));
    }
    return stored;
  }

  /** Messages already stored under the batch's (senderId, clientMsgId) keys. */
  private storedDuplicates(batch: readonly AppendInput[]): Map<string, Message> {
    const keys = JSON.stringify(batch.map((m) => [m.senderId, m.clientMsgId]));
    const stored = new Map<string, Message>();
    for (const row of this.storedKeys.all([keys]) as [string, string, number, string, string, string, number][]) {
      const [id, conversationId, seq, senderId, clientMsgId, body, createdAt] = row;
      const message = toMessage({ id, conversationId, seq, senderId, clientMsgId, body, createdAt });
      stored.set(clientKey(senderId, clientMsgId), message);
    }
    return stored;
  }
}
