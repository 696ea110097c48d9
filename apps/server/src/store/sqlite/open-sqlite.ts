import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { repairIllFormedStrings } from "./repair-strings";
import { SqliteStore } from "./sqlite-store";
import { SqliteWriter } from "./sqlite-writer";
import type { WriterEntry } from "./writer-entry";

export const SQLITE_MIGRATIONS = fileURLToPath(new URL("../../../migrations/sqlite", import.meta.url));

/**
 * Opens (creating if needed) the SQLite file at `path`, in WAL mode, and applies pending migrations;
 * then starts the writer worker, which runs every write from then on. `writer` picks its file (tests).
 */
export async function openSqlite(options: {
  path: string;
  timeoutMs: number;
  writer?: WriterEntry;
}): Promise<SqliteStore> {
  await mkdir(dirname(options.path), { recursive: true });
  // `timeout` is the busy timeout of every pooled connection (another process holding the write lock).
  const client = createClient({ url: `file:${options.path}`, timeout: options.timeoutMs });
  try {
    const db = drizzle(client);
    // WAL lets readers run beside the single writer; the mode is kept in the file.
    await db.run(sql`pragma journal_mode = wal`);
    await migrate(db, { migrationsFolder: SQLITE_MIGRATIONS });
    // Before any read: a row holding invalid UTF-8 would abort the process (see repair-strings.ts).
    await repairIllFormedStrings(db);
    // Started after the migrations (the appender's statements need the tables), so they are the only
    // writes on this connection.
    const writer = await SqliteWriter.start({ path: options.path, timeoutMs: options.timeoutMs }, options.writer);
    return new SqliteStore(db, client, writer);
  } catch (error) {
    client.close();
    throw error;
  }
}

/** `file:relative/x.db`, `file:/abs/x.db` or `file:///abs/x.db` → a filesystem path. */
export function sqlitePathOf(url: string): string {
  if (url.startsWith("file://")) return fileURLToPath(url);
  return url.slice("file:".length);
}
