import { sql } from "drizzle-orm";
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import type { Connection, QueryOptions as DriverQueryOptions, Pool, PoolConnection, QueryValues } from "mysql2/promise";
import { StoreUnavailableError } from "../errors";
import { asStoreError, breaksConnection } from "./mysql-errors";
import { PreparedStatements } from "./mysql-prepared";

export type MysqlDb = MySql2Database;

/** One physical connection as the store uses it: drizzle, and prepared statements for the hot path. */
interface Session {
  db: MysqlDb;
  prepared: PreparedStatements;
}

/**
 * Borrows pool connections with bounds on every wait, so that a dead or
 * unreachable MySQL makes requests fail fast with StoreUnavailableError
 * instead of hanging:
 * - waiting for a connection is bounded by `timeoutMs`;
 * - every query carries mysql2's `timeout` (the query is abandoned after it);
 * - a connection that timed out or lost its socket is destroyed, never
 *   returned, so the pool refills itself with fresh connections once MySQL
 *   answers again.
 */
export class MysqlConnections {
  /** One session per physical connection (the promise wrappers are new on every borrow). */
  private readonly sessionOf = new WeakMap<object, Promise<Session>>();

  constructor(
    private readonly pool: Pool,
    private readonly timeoutMs: number,
  ) {}

  /** Runs `task` on one borrowed connection. */
  async use<T>(task: (db: MysqlDb, prepared: PreparedStatements) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    let broken = false;
    try {
      const session = await this.sessionFor(connection);
      return await task(session.db, session.prepared);
    } catch (error) {
      broken = breaksConnection(error) || error instanceof BrokenTransactionError;
      throw asStoreError(error instanceof BrokenTransactionError ? error.cause : error);
    } finally {
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  /** Runs `task` inside BEGIN … COMMIT on one connection; rolls back on error. */
  transaction<T>(task: (tx: MysqlDb, prepared: PreparedStatements) => Promise<T>): Promise<T> {
    return this.use(async (db, prepared) => {
      // BEGIN and COMMIT straight to the driver: drizzle's query path costs more than the round trip here.
      await prepared.text(sql`begin`);
      try {
        const result = await task(db, prepared);
        await prepared.text(sql`commit`);
        return result;
      } catch (error) {
        if (breaksConnection(error)) throw error;
        try {
          await prepared.text(sql`rollback`);
        } catch {
          // The connection may still hold the transaction: it must not go back to the pool.
          throw new BrokenTransactionError(error);
        }
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private acquire(): Promise<PoolConnection> {
    return new Promise<PoolConnection>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new StoreUnavailableError(`no MySQL connection within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pool.getConnection().then(
        (connection) => {
          clearTimeout(timer);
          if (settled)
            connection.release(); // arrived after we gave up: hand it to the next waiter
          else resolve(connection);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!settled) reject(asStoreError(error));
        },
      );
    });
  }

  private sessionFor(connection: PoolConnection): Promise<Session> {
    const key = connection.connection as object;
    let session = this.sessionOf.get(key);
    if (!session) {
      session = this.open(connection);
      this.sessionOf.set(key, session);
      session.catch(() => this.sessionOf.delete(key));
    }
    return session;
  }

  /** A drizzle instance whose every query carries the timeout; sets the session up once. */
  private async open(connection: PoolConnection): Promise<Session> {
    // The wrapper of this first borrow only delegates to the physical connection, so it stays valid.
    const timeout = this.timeoutMs;
    // drizzle only calls `query(options, values)` on a single connection; adding
    // `timeout` there bounds every statement it sends.
    const timed = {
      query: (options: DriverQueryOptions | string, values?: QueryValues) =>
        connection.query(typeof options === "string" ? { sql: options, timeout } : { ...options, timeout }, values),
    } as unknown as Connection;
    const db = drizzle({ client: timed });
    // Read committed: the duplicate check after taking the conversation lock must
    // see what the previous lock holder committed (and it keeps gap locks away).
    await db.execute(sql`set session transaction isolation level read committed`);
    await db.execute(sql`set session innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(timeout / 1000))}`);
    return { db, prepared: new PreparedStatements(connection, timeout) };
  }
}

/** The rollback failed too: the connection is in an unknown state. */
class BrokenTransactionError extends Error {
  constructor(override readonly cause: unknown) {
    super("rollback failed");
  }
}
