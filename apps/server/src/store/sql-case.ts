import { type Column, type SQL, sql } from "drizzle-orm";

/**
 * `case <column> when k1 then v1 … end`: lets ONE UPDATE give many rows
 * different values (a statement per batch instead of one per conversation).
 * Dialect-neutral: both SQLite and MySQL accept it.
 */
export function caseOf(column: Column, pairs: readonly (readonly [string, number])[]): SQL {
  return sql`case ${column} ${sql.join(
    pairs.map(([key, value]) => sql`when ${key} then ${value}`),
    sql` `,
  )} end`;
}
