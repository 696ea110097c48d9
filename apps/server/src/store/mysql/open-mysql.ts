import { createPool } from "mysql2/promise";
import { MysqlConnections } from "./mysql-connections";
import { migrateMysql } from "./mysql-migrate";
import { connectionOptions, type MysqlOptions } from "./mysql-options";
import { MysqlStore } from "./mysql-store";

/** Connects (failing fast when MySQL does not answer), applies pending migrations, and returns the store. */
export async function openMysql(options: MysqlOptions): Promise<MysqlStore> {
  await migrateMysql(options);
  const pool = createPool({
    ...connectionOptions(options),
    connectionLimit: Math.max(1, options.poolSize),
    waitForConnections: true,
    queueLimit: 0,
  });
  // Two append transactions in flight when the pool leaves room for reads beside them;
  // each lane keeps its connection while the pool still has one for reads.
  const lanes = options.poolSize >= 4 ? 2 : 1;
  const held = options.poolSize > lanes ? lanes : 0;
  const store = new MysqlStore(new MysqlConnections(pool, options.timeoutMs, held), lanes);
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
