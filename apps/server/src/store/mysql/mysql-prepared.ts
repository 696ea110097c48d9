import type { SQL } from "drizzle-orm";
import { MySqlDialect } from "drizzle-orm/mysql-core";
import type { PoolConnection } from "mysql2/promise";

const dialect = new MySqlDialect();

/**
 * Runs drizzle `sql` statements as server-side prepared statements (mysql2
 * `execute`, binary protocol) on one connection. drizzle sends everything
 * through `query`, which escapes each value into the SQL text on our side and
 * makes MariaDB parse that text again; for the append's large JSON parameters
 * that was a third of the Node CPU per batch and a good part of the server's.
 * Here the statement text is constant and parsed once per connection (mysql2
 * caches it), and the values travel as length-prefixed binary.
 */
export class PreparedStatements {
  constructor(
    private readonly connection: PoolConnection,
    private readonly timeoutMs: number,
  ) {}

  async rows<T>(query: SQL): Promise<T[]> {
    const [rows] = await this.send(query);
    return rows as T[];
  }

  async run(query: SQL): Promise<void> {
    await this.send(query);
  }

  /** A statement without parameters that cannot or need not be prepared (BEGIN, COMMIT), sent as text. */
  async text(query: SQL): Promise<void> {
    const { sql, params } = dialect.sqlToQuery(query);
    if (params.length > 0) throw new Error("text() takes no parameters; use run()");
    await this.connection.query({ sql, timeout: this.timeoutMs });
  }

  private send(query: SQL) {
    const { sql, params } = dialect.sqlToQuery(query);
    return this.connection.execute({ sql, timeout: this.timeoutMs }, params as (string | number)[]);
  }
}
