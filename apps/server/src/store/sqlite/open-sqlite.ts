import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { repairIllFormedStrings } from "./repair-strings";
import { SqliteAppender } from "./sqlite-appender";
import { SqliteStore } from "./sqlite-store";

export const SQLITE_MIGRATIONS = fileURLToPath(new URL("../../../migrations/sqlite", import.meta.url));

/** Opens (creating if needed) the SQLite file at `path`, in WAL mode, and applies pending migrations. */
export async function openSqlite(options: { path: string; timeoutMs: number }): Promise<SqliteStore> {
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
    // Prepared after the migrations: its statements need the tables.
    return new SqliteStore(db, client, new SqliteAppender(options.path, options.timeoutMs));
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
