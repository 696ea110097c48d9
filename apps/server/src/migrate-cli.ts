import { ConfigError, loadConfig } from "./config";
import { migrateDatabase } from "./store/open-store";

/**
 * `pnpm db:migrate`: applies pending migrations to the database the server
 * would use (DATABASE_URL, else the SQLite file in DATA_DIR) and exits.
 * The server also migrates at start; this is for operators who migrate first.
 * The same loadConfig as the server, so that both read (and validate) the
 * environment alike; loadConfig is pure, so this has no other side effects.
 */
async function migrate(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`migration not started: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const { databaseUrl, dataDir, dbTimeoutMs } = config;
  const target = databaseUrl ? databaseUrl.replace(/\/\/[^@/]*@/, "//***@") : `SQLite in ${dataDir}`;
  try {
    await migrateDatabase({ databaseUrl, dataDir, timeoutMs: dbTimeoutMs });
    console.log(`migrations applied: ${target}`);
  } catch (error) {
    console.error(`migration failed (${target}):`, error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

await migrate();
