import { sql } from "drizzle-orm";
import { drizzle, type MySql2Database } from "drizzle-orm/mysql2";
import type { Connection, QueryOptions as DriverQueryOptions, Pool, PoolConnection, QueryValues } from "mysql2/promise";
import { StoreUnavailableError } from "../errors";
import { asStoreError, breaksConnection } from "./mysql-errors";
import { PreparedStatements } from "./mysql-prepared";

export type MysqlDb = MySql2Database;

/** A held append connection idle this long is replaced by a fresh one (mysql2's pool idle timeout too). */
const APPEND_IDLE_MS = 60_000;

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
  /** Connections the appender holds between its transactions (autocommit off), with when they went idle. */
  private readonly appendIdle: { connection: PoolConnection; since: number }[] = [];
  /** Physical connections on which `set autocommit = 0` ran. */
  private readonly autocommitOff = new WeakSet<object>();

  /**
   * `heldForAppends`: how many connections the appender may keep between its
   * transactions (its lanes; 0 keeps none and appends borrow like any query).
   * Must leave the pool room for reads.
   */
  constructor(
    private readonly pool: Pool,
    private readonly timeoutMs: number,
    private readonly heldForAppends = 0,
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

  /**
   * Runs `task` as one transaction on a connection the appender keeps for
   * itself (at most one per append in flight, i.e. per group-commit lane).
   * Those connections run with autocommit off, so the first statement opens
   * the transaction: no BEGIN round trip and no pool checkout per batch. They
   * never go back to the pool (its other users expect autocommit); a broken
   * one is destroyed, which frees its slot for a fresh connection.
   */
  async appendTransaction<T>(task: (tx: MysqlDb, prepared: PreparedStatements) => Promise<T>): Promise<T> {
    if (this.heldForAppends === 0) return this.transaction(task);
    const connection = this.takeIdleAppendConnection() ?? (await this.acquire());
    let broken = false;
    try {
      const session = await this.sessionFor(connection);
      if (!this.autocommitOff.has(connection.connection)) {
        await session.prepared.text(sql`set autocommit = 0`);
        this.autocommitOff.add(connection.connection);
      }
      try {
        const result = await task(session.db, session.prepared);
        await session.prepared.text(sql`commit`);
        return result;
      } catch (error) {
        if (breaksConnection(error)) throw error;
        try {
          await session.prepared.text(sql`rollback`);
        } catch {
          throw new BrokenTransactionError(error);
        }
        throw error;
      }
    } catch (error) {
      broken = breaksConnection(error) || error instanceof BrokenTransactionError;
      throw asStoreError(error instanceof BrokenTransactionError ? error.cause : error);
    } finally {
      // More appends at once than lanes (direct callers): the extra connection is not kept.
      if (broken || this.appendIdle.length >= this.heldForAppends) connection.destroy();
      else this.appendIdle.push({ connection, since: performance.now() });
    }
  }

  async close(): Promise<void> {
    // The appender's connections are the pool's too: ending the pool ends them.
    this.appendIdle.length = 0;
    await this.pool.end();
  }

  /**
   * The most recently used held connection; those idle longer than the pool keeps
   * its own (MySQL's wait_timeout may have closed them) are destroyed instead.
   */
  private takeIdleAppendConnection(): PoolConnection | undefined {
    const now = performance.now();
    for (;;) {
      const idle = this.appendIdle.pop();
      if (!idle || now - idle.since < APPEND_IDLE_MS) return idle?.connection;
      idle.connection.destroy();
    }
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
