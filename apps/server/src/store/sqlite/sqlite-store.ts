import type { Client } from "@libsql/client";
import { and, eq, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { directKeyOf } from "../message-row";
import { withOptimisticDedupe } from "../optimistic-dedupe";
import type { MediaRecord } from "../profile-records";
import { toMediaDbRow, toUserRow } from "../profile-rows";
import type { BlockRecord } from "../safety-records";
import { findDirect } from "../sql/conversation-reads";
import { insertDirect } from "../sql/conversation-writes";
import type { SqlDialect, SqlScope } from "../sql/sql-db";
import { SqlStore } from "../sql/sql-store";
import type { AppendInput, AppendResult, UserRecord } from "../store";
import { WriteLock } from "../write-lock";
import * as schema from "./schema";
import type { SqliteAppender } from "./sqlite-appender";
import { asUnavailable, isSqliteUniqueViolation } from "./sqlite-errors";

type SqliteTx = Parameters<Parameters<LibSQLDatabase["transaction"]>[0]>[0];
/** A connection or a transaction on it. */
type Executor = LibSQLDatabase | SqliteTx;

const dialect: SqlDialect = {
  t: schema,
  greatest: (a, b) => sql`max(${a}, ${b})`,
  least: (a, b) => sql`min(${a}, ${b})`,
};

function scopeOf(db: Executor): SqlScope<Executor> {
  return { ...dialect, db, native: db };
}

/** The embedded store: one SQLite file through libsql, writes serialized in-process. */
export class SqliteStore extends SqlStore<Executor> {
  private readonly lock = new WriteLock();
  private readonly scope: SqlScope<Executor>;

  constructor(
    private readonly db: LibSQLDatabase,
    private readonly client: Client,
    private readonly appender: SqliteAppender,
  ) {
    super();
    this.scope = scopeOf(db);
  }

  /** Every write takes the lock; a database locked past the busy timeout is "unavailable". */
  private locked<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.run(task).catch((error: unknown) => {
      throw asUnavailable(error);
    });
  }

  protected read<T>(task: (q: SqlScope<Executor>) => Promise<T>): Promise<T> {
    return task(this.scope);
  }

  protected write<T>(task: (q: SqlScope<Executor>) => Promise<T>): Promise<T> {
    return this.locked(() => task(this.scope));
  }

  protected transaction<T>(task: (q: SqlScope<Executor>) => Promise<T>): Promise<T> {
    return this.locked(() => this.db.transaction((tx) => task(scopeOf(tx))));
  }

  /** The write lock (and SQLite's own, for other processes) already keeps other writers out. */
  protected async lockConversation(q: SqlScope<Executor>, conversationId: string): Promise<boolean> {
    const { conversations } = schema;
    const [row] = await q.native
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    return row !== undefined;
  }

  protected async deleteMember(q: SqlScope<Executor>, conversationId: string, userId: string): Promise<boolean> {
    const { members } = schema;
    const removed = await q.native
      .delete(members)
      .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)))
      .returning({ userId: members.userId });
    return removed.length > 0;
  }

  protected async insertBlockOnce(q: SqlScope<Executor>, block: BlockRecord): Promise<boolean> {
    const { blocks } = schema;
    // The primary key (blocker_id, blocked_id) makes a repeat insert nothing.
    const inserted = await q.native
      .insert(blocks)
      .values(block)
      .onConflictDoNothing({ target: [blocks.blockerId, blocks.blockedId] })
      .returning({ blockerId: blocks.blockerId });
    return inserted.length > 0;
  }

  protected async insertNoticeCreditsOnce(
    q: SqlScope<Executor>,
    row: { userId: string; templateId: string; credits: number },
  ): Promise<boolean> {
    const { noticeCredits } = schema;
    const inserted = await q.native
      .insert(noticeCredits)
      .values(row)
      .onConflictDoNothing({ target: [noticeCredits.userId, noticeCredits.templateId] })
      .returning({ userId: noticeCredits.userId });
    return inserted.length > 0;
  }

  /** The write lock already keeps other writers out: a plain read. */
  protected async lockNoticeCredits(q: SqlScope<Executor>, userId: string, templateId: string): Promise<number> {
    const { noticeCredits } = schema;
    const [row] = await q.native
      .select({ credits: noticeCredits.credits })
      .from(noticeCredits)
      .where(and(eq(noticeCredits.userId, userId), eq(noticeCredits.templateId, templateId)));
    return row?.credits ?? 0;
  }

  protected async insertMediaOnce(q: SqlScope<Executor>, record: MediaRecord): Promise<boolean> {
    const { media } = schema;
    // The unique (uploader_id, client_media_id) makes a repeat insert nothing.
    const inserted = await q.native
      .insert(media)
      .values(toMediaDbRow(record))
      .onConflictDoNothing({ target: [media.uploaderId, media.clientMediaId] })
      .returning({ id: media.id });
    return inserted.length > 0;
  }

  async ping(): Promise<void> {
    await this.db.run(sql`select 1`);
  }

  async close(): Promise<void> {
    // Let queued writes finish: nothing acked may be lost at shutdown.
    await this.locked(async () => {
      this.appender.close();
      this.client.close();
    });
  }

  upsertUser(user: UserRecord): Promise<UserRecord> {
    const { users } = schema;
    return this.locked(async () => {
      const [row] = await this.db
        .insert(users)
        .values({ id: user.id, name: user.name, createdAt: Date.now() })
        .onConflictDoUpdate({ target: users.id, set: { name: user.name } })
        .returning({ id: users.id, name: users.name, avatarMediaId: users.avatarMediaId });
      return row ? toUserRow(row) : user;
    });
  }

  /** Looked up and created in one write transaction: nothing can create the pair in between. */
  getOrCreateDirect(input: { id: string; a: string; b: string; now: number }) {
    const directKey = directKeyOf(input.a, input.b);
    return this.transaction(async (q) => {
      const existing = await findDirect(q, directKey);
      if (existing) return { conversation: existing, created: false };
      return { conversation: await insertDirect(q, input, directKey), created: true };
    });
  }

  appendMessages(batch: readonly AppendInput[]): Promise<AppendResult[]> {
    if (batch.length === 0) return Promise.resolve([]);
    return this.locked(() =>
      withOptimisticDedupe(async (checkStored) => this.appender.append(batch, checkStored), isSqliteUniqueViolation),
    );
  }
}
