import { join } from "node:path";
import { openSqlite, sqlitePathOf } from "./sqlite/open-sqlite";
import type { Store } from "./store";
import { guardStrings } from "./well-formed-guard";

export interface OpenStoreOptions {
  /** Unset → SQLite at `<dataDir>/mpchat.db`; `file:…` → SQLite there; `mysql://…` → MySQL. */
  databaseUrl?: string;
  dataDir: string;
  /** MySQL connections in the pool. */
  poolSize?: number;
  /** How long a query (or connecting) may take before it fails with StoreUnavailableError. */
  timeoutMs?: number;
  logger?: { info: (...a: unknown[]) => void; warn: (...a: unknown[]) => void };
}

/** Chooses the adapter from the URL, connects, and applies pending migrations. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.databaseUrl?.trim() || undefined;
  const timeoutMs = options.timeoutMs ?? 5000;
  if (url === undefined || url.startsWith("file:")) {
    const path = url === undefined ? join(options.dataDir, "mpchat.db") : sqlitePathOf(url);
    const store = await openSqlite({ path, timeoutMs });
    options.logger?.info({ store: "sqlite", path }, "store opened");
    return guardStrings(store);
  }
  if (url.startsWith("mysql://")) {
    // Loaded on demand so that the embedded default never touches mysql2.
    const { openMysql } = await import("./mysql/open-mysql");
    const store = await openMysql({ url, poolSize: options.poolSize ?? 10, timeoutMs });
    options.logger?.info({ store: "mysql", poolSize: options.poolSize ?? 10 }, "store opened");
    return guardStrings(store);
  }
  throw new Error(`DATABASE_URL must start with file: or mysql:// (got ${JSON.stringify(url.split(":")[0])}:…)`);
}

/** Applies pending migrations and disconnects (`pnpm db:migrate`, for operators who migrate before deploying). */
export async function migrateDatabase(options: OpenStoreOptions): Promise<void> {
  const url = options.databaseUrl?.trim() || undefined;
  if (url?.startsWith("mysql://")) {
    const { migrateMysql } = await import("./mysql/mysql-migrate");
    await migrateMysql({ url, poolSize: 1, timeoutMs: options.timeoutMs ?? 5000 });
    return;
  }
  // SQLite migrates as it opens.
  const store = await openStore(options);
  await store.close();
}
