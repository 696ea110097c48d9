import { StoreUnavailableError } from "../errors";

/** Driver codes meaning the server or the network did not answer: the request may be retried later. */
const UNAVAILABLE_CODES = new Set([
  "PROTOCOL_SEQUENCE_TIMEOUT", // our per-query timeout
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_PACKETS_OUT_OF_ORDER",
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ER_CON_COUNT_ERROR",
  "ER_TOO_MANY_USER_CONNECTIONS",
  "ER_SERVER_SHUTDOWN",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_QUERY_INTERRUPTED",
  "ER_STATEMENT_TIMEOUT",
  "ER_OPTION_PREVENTS_STATEMENT", // read-only replica after a failover
]);

interface DriverError {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The mysql2 error inside whatever wrapped it (drizzle wraps driver errors in DrizzleQueryError). */
export function driverErrorOf(error: unknown): DriverError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const candidate = current as DriverError;
    if (typeof candidate.code === "string" || candidate.fatal === true) return candidate;
    current = candidate.cause;
  }
  return null;
}

/** The connection that saw this error can no longer be trusted and must be destroyed, not reused. */
export function breaksConnection(error: unknown): boolean {
  const driver = driverErrorOf(error);
  if (!driver) return false;
  return driver.fatal === true || (typeof driver.code === "string" && UNAVAILABLE_CODES.has(driver.code));
}

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const driver = driverErrorOf(error);
  if (!driver) return false;
  if (driver.fatal === true) return true;
  if (typeof driver.code === "string" && UNAVAILABLE_CODES.has(driver.code)) return true;
  return typeof driver.message === "string" && /pool is closed|closed state/i.test(driver.message);
}

/** Worth running the whole transaction again: a deadlock, or a duplicate key another process just committed. */
export function isRetryableConflict(error: unknown): boolean {
  const code = driverErrorOf(error)?.code;
  return code === "ER_LOCK_DEADLOCK" || code === "ER_DUP_ENTRY";
}

export function isDuplicateKey(error: unknown): boolean {
  return driverErrorOf(error)?.code === "ER_DUP_ENTRY";
}

/** Unavailability becomes StoreUnavailableError (→ `unavailable`); anything else is a bug and passes unchanged. */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailable(error)) return error;
  const driver = driverErrorOf(error);
  const detail = typeof driver?.code === "string" ? driver.code : "connection failed";
  return new StoreUnavailableError(`MySQL is unavailable (${detail})`, { cause: error });
}
