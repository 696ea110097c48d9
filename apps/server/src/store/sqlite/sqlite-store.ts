import type { Client } from "@libsql/client";
import { and, eq, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle as drizzleProxy } from "drizzle-orm/sqlite-proxy";
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
import { asUnavailable, isSqliteUniqueViolation } from "./sqlite-errors";
import type { SqliteWriter } from "./sqlite-writer";

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

/**
 * drizzle over the writer worker: statements are built here, as for any
 * drizzle database, and run on the worker's connection. Typed as libsql's
 * database because the shared queries are (sql/sql-db.ts): both are drizzle's
 * async SQLite database and build the same statements; they differ only in
 * what `run` resolves to, which no query here reads.
 */
function writerDb(writer: SqliteWriter): LibSQLDatabase {
  const db = drizzleProxy((text, params, method) => writer.statement(text, params, method) as Promise<{ rows: [] }>);
  return db as unknown as LibSQLDatabase;
}

/**
 * The embedded store: one SQLite file through libsql. Reads run on this
 * thread's connection (`db`); every write runs in the writer worker
 * (sqlite-writer.ts), one at a time under the write lock, and resolves after
 * its commit. WAL lets the reads go on during a commit, and a read that starts
 * after a write resolved sees that write: an ack sent after the commit is
 * followed by syncs that find the message.
 */
export class SqliteStore extends SqlStore<Executor> {
  private readonly lock = new WriteLock();
  private readonly scope: SqlScope<Executor>;
  private readonly writeDb: LibSQLDatabase;
  private readonly writeScope: SqlScope<Executor>;

  constructor(
    private readonly db: LibSQLDatabase,
    private readonly client: Client,
    private readonly writer: SqliteWriter,
  ) {
    super();
    this.scope = scopeOf(db);
    this.writeDb = writerDb(writer);
    this.writeScope = scopeOf(this.writeDb);
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
    return this.locked(() => task(this.writeScope));
  }

  /** BEGIN IMMEDIATE: the file's write lock from the start, also against other processes. */
  protected transaction<T>(task: (q: SqlScope<Executor>) => Promise<T>): Promise<T> {
    return this.locked(() => this.writeDb.transaction((tx) => task(scopeOf(tx)), { behavior: "immediate" }));
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

  /** Both connections: the writer's (a dead worker fails here) and the reads'. */
  async ping(): Promise<void> {
    await this.writer.ping();
    await this.db.run(sql`select 1`);
  }

  async close(): Promise<void> {
    // Let queued writes finish: nothing acked may be lost at shutdown.
    await this.locked(async () => {
      try {
        await this.writer.close();
      } finally {
        this.client.close();
      }
    });
  }

  upsertUser(user: UserRecord): Promise<UserRecord> {
    const { users } = schema;
    return this.locked(async () => {
      const [row] = await this.writeDb
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
      withOptimisticDedupe((checkStored) => this.writer.append(batch, checkStored), isSqliteUniqueViolation),
    );
  }
}
