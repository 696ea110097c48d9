import { isStoreUnavailable, StoreUnavailableError } from "../errors";

/** SQLite codes that mean "try again later" rather than "this request is wrong". */
const TRANSIENT = ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_CANTOPEN"];

/**
 * Maps a busy or I/O failure to StoreUnavailableError; other errors pass through unchanged.
 * A writer worker that died (StoreUnavailableError, inside drizzle's DrizzleQueryError or not) stays that.
 */
export function asUnavailable(error: unknown): unknown {
  if (isStoreUnavailable(error)) return error;
  const wrapped = (error as { cause?: unknown } | null)?.cause;
  if (isStoreUnavailable(wrapped)) return wrapped;
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const transient = [code, cause].some((c) => typeof c === "string" && TRANSIENT.some((t) => c.startsWith(t)));
  return transient ? new StoreUnavailableError("the SQLite database is busy or unreadable", { cause: error }) : error;
}

/** A UNIQUE constraint fired: a (senderId, clientMsgId) was stored before. */
export function isSqliteUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
    if (typeof message === "string" && message.includes("UNIQUE constraint failed")) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
