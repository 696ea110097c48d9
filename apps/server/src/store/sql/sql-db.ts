import type { SQL, SQLWrapper } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type * as sqliteSchema from "../sqlite/schema";

/**
 * The face of a drizzle database that the shared queries (this folder) are
 * written against, whichever dialect runs them. drizzle's MySQL and SQLite
 * types are unrelated, but their builders make the same query from the same
 * calls, so the shared code is typed as SQLite's and MySQL's database and
 * tables are cast to that face in one place (mysql/mysql-scope.ts). That is
 * sound because both schemas describe the same rows (test/store/schema-parity
 * compares columns, keys and inferred row types) and the store contract suite
 * runs every shared query on both.
 *
 * Rules for code on a `SqlDb` (TypeScript cannot enforce them, the contract suite does):
 * - await builders as they are; no `.returning()`, `.get()`, `.all()`,
 *   `.onConflict…()` (SQLite only) and no `.for()`, `.onDuplicateKeyUpdate()` (MySQL only);
 * - ignore what an insert, update or delete resolves to (its shape differs by dialect);
 * - dialect functions come from the scope (`greatest`, `least`), never as SQL text.
 * What needs one dialect's own syntax goes in that dialect's store, on `native`.
 */
export type SqlDb = Pick<LibSQLDatabase, "select" | "selectDistinct" | "insert" | "update" | "delete">;

/** The tables the shared queries use (SQLite's types; MySQL's tables have the same columns). */
export interface SqlTables {
  users: typeof sqliteSchema.users;
  conversations: typeof sqliteSchema.conversations;
  members: typeof sqliteSchema.members;
  messages: typeof sqliteSchema.messages;
  sessions: typeof sqliteSchema.sessions;
  media: typeof sqliteSchema.media;
  messageMedia: typeof sqliteSchema.messageMedia;
  invites: typeof sqliteSchema.invites;
  blocks: typeof sqliteSchema.blocks;
  reports: typeof sqliteSchema.reports;
  bans: typeof sqliteSchema.bans;
  auditLog: typeof sqliteSchema.auditLog;
  noticeCredits: typeof sqliteSchema.noticeCredits;
  noticeMarks: typeof sqliteSchema.noticeMarks;
  mediaChecks: typeof sqliteSchema.mediaChecks;
}

type SqlValue = SQLWrapper | number;

/** What differs between the dialects inside otherwise shared statements. */
export interface SqlDialect {
  readonly t: SqlTables;
  /** The larger of two values: `greatest()` in MySQL, scalar `max()` in SQLite. */
  greatest(a: SqlValue, b: SqlValue): SQL;
  /** The smaller of two values: `least()` in MySQL, scalar `min()` in SQLite. */
  least(a: SqlValue, b: SqlValue): SQL;
}

/**
 * One connection or transaction, as the shared queries take it: `db` for
 * shared statements, and the same connection in its dialect's own types
 * (`native`) for the few statements only that dialect can write.
 */
export interface SqlScope<Native = unknown> extends SqlDialect {
  readonly db: SqlDb;
  readonly native: Native;
}
