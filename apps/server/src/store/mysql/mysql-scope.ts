import { type InferInsertModel, type InferSelectModel, sql } from "drizzle-orm";
import type { SqlDb, SqlDialect, SqlScope, SqlTables } from "../sql/sql-db";
import type { MysqlDb } from "./mysql-connections";
import * as schema from "./schema";

/**
 * The shared queries (../sql) are typed against SQLite's drizzle types, which
 * MySQL's are not assignable to although their builders take the same calls
 * and make the same queries. These two casts are the only place where MySQL's
 * objects take that face; the check below keeps them honest about the rows.
 */
const tables = schema as unknown as SqlTables;

/** Compiles only while every MySQL table's rows match the SQLite ones that the shared code is typed with. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RowsMatch = {
  [K in keyof SqlTables]: Same<InferSelectModel<(typeof schema)[K]>, InferSelectModel<SqlTables[K]>> &
    Same<InferInsertModel<(typeof schema)[K]>, InferInsertModel<SqlTables[K]>>;
};
type AllTrue<T extends true> = T;
export type MysqlRowsMatchSqlite = AllTrue<RowsMatch[keyof SqlTables]>;

const dialect: SqlDialect = {
  t: tables,
  greatest: (a, b) => sql`greatest(${a}, ${b})`,
  least: (a, b) => sql`least(${a}, ${b})`,
};

/** One MySQL connection (or transaction) as the shared queries take it. */
export function mysqlScope(db: MysqlDb): SqlScope<MysqlDb> {
  return { ...dialect, db: db as unknown as SqlDb, native: db };
}
