import { resolve } from "node:path";
import { migrateDatabase } from "./open-store";

/**
 * `pnpm db:migrate`: applies pending migrations to the database the server
 * would use (DATABASE_URL, else the SQLite file in DATA_DIR) and exits.
 * The server also migrates at start; this is for operators who migrate first.
 * Reads only the variables it needs so that it has no other side effects.
 */
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const dataDir = resolve(process.env.DATA_DIR?.trim() || "./data");
const timeoutMs = Number(process.env.DB_TIMEOUT_MS?.trim() || "5000");
const target = databaseUrl ? databaseUrl.replace(/\/\/[^@/]*@/, "//***@") : `SQLite in ${dataDir}`;

try {
  await migrateDatabase({ databaseUrl, dataDir, timeoutMs: Number.isFinite(timeoutMs) ? timeoutMs : 5000 });
  console.log(`migrations applied: ${target}`);
} catch (error) {
  console.error(`migration failed (${target}):`, error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
