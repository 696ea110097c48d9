import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/mysql2";
import { migrate } from "drizzle-orm/mysql2/migrator";
import { createConnection } from "mysql2/promise";
import { asStoreError } from "./mysql-errors";
import { connectionOptions, type MysqlOptions } from "./mysql-options";

export const MYSQL_MIGRATIONS = fileURLToPath(new URL("../../../migrations/mysql", import.meta.url));

/** How long a starting server waits for another one that is migrating the same database. */
const MIGRATION_LOCK_SECONDS = 120;
const LOCK_NAME = "mpchat_migrate";

/**
 * Applies pending migrations on a connection of its own. MySQL commits DDL
 * immediately, so two servers starting together would race on CREATE TABLE:
 * a named lock (GET_LOCK) lets one migrate while the other waits, then finds
 * nothing left to do.
 */
export async function migrateMysql(options: MysqlOptions): Promise<void> {
  const connection = await createConnection(connectionOptions(options)).catch((error: unknown) => {
    throw asStoreError(error);
  });
  try {
    const db = drizzle({ client: connection });
    const [rows] = (await db.execute(
      sql`select get_lock(${LOCK_NAME}, ${MIGRATION_LOCK_SECONDS}) as locked`,
    )) as unknown as [{ locked: number | null }[]];
    if (rows[0]?.locked !== 1) throw new Error("another process held the migration lock for too long");
    try {
      await migrate(db, { migrationsFolder: MYSQL_MIGRATIONS });
    } finally {
      await db.execute(sql`select release_lock(${LOCK_NAME})`);
    }
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}
