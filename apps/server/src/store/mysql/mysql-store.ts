import { and, eq, sql } from "drizzle-orm";
import { directKeyOf } from "../message-row";
import { withOptimisticDedupe } from "../optimistic-dedupe";
import type { MediaRecord } from "../profile-records";
import { toMediaDbRow } from "../profile-rows";
import type { BlockRecord } from "../safety-records";
import { findDirect } from "../sql/conversation-reads";
import { insertDirect } from "../sql/conversation-writes";
import type { SqlScope } from "../sql/sql-db";
import { SqlStore } from "../sql/sql-store";
import type { AppendInput, AppendResult, UserRecord } from "../store";
import { appendInTransaction } from "./mysql-append";
import type { MysqlConnections, MysqlDb } from "./mysql-connections";
import { isDuplicateKey, isRetryableConflict } from "./mysql-errors";
import { mysqlScope } from "./mysql-scope";
import { blocks, conversations, media, members, noticeCredits, users } from "./schema";

/** How often a batch is re-run after a deadlock or a duplicate another process committed first. */
const CONFLICT_ATTEMPTS = 5;

/** The production store: MySQL / MariaDB through a mysql2 pool; safe for several server processes. */
export class MysqlStore extends SqlStore<MysqlDb> {
  /**
   * Two group-commit transactions in flight (for disjoint conversations): one
   * batch's round trips and commit overlap the next one's work in Node and in
   * MariaDB. Set by the opener from the pool size (connections stay for reads).
   */
  constructor(
    private readonly connections: MysqlConnections,
    readonly parallelAppends = 1,
  ) {
    super();
  }

  protected read<T>(task: (q: SqlScope<MysqlDb>) => Promise<T>): Promise<T> {
    return this.connections.use((db) => task(mysqlScope(db)));
  }

  /** Writes outside a transaction need nothing more than a read: a connection of the pool. */
  protected write<T>(task: (q: SqlScope<MysqlDb>) => Promise<T>): Promise<T> {
    return this.connections.use((db) => task(mysqlScope(db)));
  }

  protected transaction<T>(task: (q: SqlScope<MysqlDb>) => Promise<T>): Promise<T> {
    return this.connections.transaction((tx) => task(mysqlScope(tx)));
  }

  /**
   * The row lock orders concurrent membership changes of one conversation, on
   * every process; each sees (read committed) what the ones before it committed.
   */
  protected async lockConversation(q: SqlScope<MysqlDb>, conversationId: string): Promise<boolean> {
    const [locked] = await q.native
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, conversationId))
      .for("update");
    return locked !== undefined;
  }

  protected async deleteMember(q: SqlScope<MysqlDb>, conversationId: string, userId: string): Promise<boolean> {
    const [result] = await q.native
      .delete(members)
      .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
    return result.affectedRows > 0;
  }

  protected async insertBlockOnce(q: SqlScope<MysqlDb>, block: BlockRecord): Promise<boolean> {
    try {
      await q.native.insert(blocks).values(block);
      return true;
    } catch (error) {
      // The primary key (blocker_id, blocked_id): a repeat, maybe concurrent; the first row answers.
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }

  protected async insertNoticeCreditsOnce(
    q: SqlScope<MysqlDb>,
    row: { userId: string; templateId: string; credits: number },
  ): Promise<boolean> {
    try {
      await q.native.insert(noticeCredits).values(row);
      return true;
    } catch (error) {
      // The primary key (user_id, template_id): another report, maybe concurrent, made the row.
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }

  /** The row lock orders every claim and release of one user's credits, on every process. */
  protected async lockNoticeCredits(q: SqlScope<MysqlDb>, userId: string, templateId: string): Promise<number> {
    const [row] = await q.native
      .select({ credits: noticeCredits.credits })
      .from(noticeCredits)
      .where(and(eq(noticeCredits.userId, userId), eq(noticeCredits.templateId, templateId)))
      .for("update");
    return row?.credits ?? 0;
  }

  protected async insertMediaOnce(q: SqlScope<MysqlDb>, record: MediaRecord): Promise<boolean> {
    try {
      await q.native.insert(media).values(toMediaDbRow(record));
      return true;
    } catch (error) {
      // The unique (uploader_id, client_media_id): a repeat, maybe concurrent; the first row answers.
      if (!isDuplicateKey(error)) throw error;
      return false;
    }
  }

  async ping(): Promise<void> {
    await this.connections.use((db) => db.execute(sql`select 1`));
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  async upsertUser(user: UserRecord): Promise<UserRecord> {
    await this.connections.use((db) =>
      db
        .insert(users)
        .values({ id: user.id, name: user.name, createdAt: Date.now() })
        .onDuplicateKeyUpdate({ set: { name: user.name } }),
    );
    return (await this.getUser(user.id)) ?? { id: user.id, name: user.name };
  }

  /**
   * Optimistic: a lookup, then an insert whose unique direct key makes a
   * concurrent creator (on any process) wait for the first one's commit and fail.
   */
  async getOrCreateDirect(input: { id: string; a: string; b: string; now: number }) {
    const directKey = directKeyOf(input.a, input.b);
    const existing = await this.read((q) => findDirect(q, directKey));
    if (existing) return { conversation: existing, created: false };
    try {
      const conversation = await this.transaction((q) => insertDirect(q, input, directKey));
      return { conversation, created: true };
    } catch (error) {
      // Another request created the pair first.
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.read((q) => findDirect(q, directKey));
      if (!winner) throw error;
      return { conversation: winner, created: false };
    }
  }

  async appendMessages(batch: readonly AppendInput[]): Promise<AppendResult[]> {
    if (batch.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await withOptimisticDedupe(
          (checkStored) =>
            this.connections.appendTransaction((tx, prepared) => appendInTransaction(tx, prepared, batch, checkStored)),
          isDuplicateKey,
        );
      } catch (error) {
        // A duplicate (sender, clientMsgId) committed by another process for another
        // conversation, or a deadlock: the next attempt sees the winner and dedupes.
        if (attempt >= CONFLICT_ATTEMPTS || !isRetryableConflict(error)) throw error;
      }
    }
  }
}
