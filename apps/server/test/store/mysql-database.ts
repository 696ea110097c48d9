import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import { createConnection } from "mysql2/promise";

/** Set by CI (and by anyone with a MariaDB at hand): mysql://root@127.0.0.1:3306/test */
export const MYSQL_URL = process.env.MYSQL_URL?.trim() || undefined;

export const MYSQL_SKIP_REASON = "MYSQL_URL is not set: the MySQL half of the store tests is skipped";

export interface FreshDatabase {
  /** MYSQL_URL pointing at the new database. */
  url: string;
  name: string;
  drop: () => Promise<void>;
}

/** Creates an empty utf8mb4 database with a random name on MYSQL_URL's server; `drop` removes it. */
export async function createFreshDatabase(baseUrl: string): Promise<FreshDatabase> {
  const name = `mpchat_test_${randomBytes(6).toString("hex")}`;
  const admin = async <T>(task: (db: MySql2Database) => Promise<T>) => {
    // Fails the test (never skips it) when MYSQL_URL is set but the server cannot be reached.
    const connection = await createConnection({ uri: baseUrl, connectTimeout: 10_000 });
    try {
      return await task(drizzle({ client: connection }));
    } finally {
      await connection.end();
    }
  };
  await admin((db) =>
    db.execute(sql`create database ${sql.identifier(name)} character set utf8mb4 collate utf8mb4_bin`),
  );
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => admin((db) => db.execute(sql`drop database if exists ${sql.identifier(name)}`)).then(() => undefined),
  };
}
