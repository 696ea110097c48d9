import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/mysql2";
import { createConnection } from "mysql2/promise";

/** MariaDB/MySQL for the durable scenarios: a fresh database per run, dropped afterwards. */
export const DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306/test";

export function mysqlAdminUrl(): string {
  return process.env.MYSQL_URL || DEFAULT_MYSQL_URL;
}

export interface FreshDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates `mpchat_bench_<random>`; throws when the server cannot be reached. */
export async function createFreshDatabase(adminUrl = mysqlAdminUrl()): Promise<FreshDatabase> {
  const name = `mpchat_bench_${randomBytes(4).toString("hex")}`;
  const connection = await createConnection({ uri: adminUrl, connectTimeout: 3000 });
  try {
    await drizzle({ client: connection }).execute(
      sql`create database ${sql.identifier(name)} character set utf8mb4 collate utf8mb4_bin`,
    );
  } finally {
    await connection.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const admin = await createConnection({ uri: adminUrl, connectTimeout: 3000 });
      try {
        await drizzle({ client: admin }).execute(sql`drop database if exists ${sql.identifier(name)}`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** True when MariaDB answers at `adminUrl`. */
export async function mysqlAvailable(adminUrl = mysqlAdminUrl()): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: adminUrl, connectTimeout: 2000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}
