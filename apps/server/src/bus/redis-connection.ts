import { Redis } from "ioredis";

/** The part of a pino logger the Redis adapters use. */
export interface RedisLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * A Redis command or publish must not hold an ack hostage: the message is already
 * committed. Commands fail after this long, and at once while disconnected.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;

/** host:port of a Redis URL, for logs (never the password). */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "6379"}`;
}

/**
 * A Redis connection that ioredis keeps reconnecting (backoff up to 2 s), with its
 * state changes logged once per change rather than once per retry.
 *
 * `commands`: fail fast while disconnected (no offline queue, no retry of a command
 * caught by a disconnect): callers treat a failure as "this push or presence change
 * was missed" and repair later. `subscriber`: queue the SUBSCRIBE until connected;
 * ioredis re-subscribes by itself after every reconnect.
 */
export function createRedisConnection(
  url: string,
  role: "commands" | "subscriber",
  name: string,
  log: RedisLogger,
): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    ...(role === "commands"
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: REDIS_COMMAND_TIMEOUT_MS }
      : { maxRetriesPerRequest: null }),
  });
  const address = redisAddress(url);
  let wasReady = false;
  let lastError = "";
  redis.on("ready", () => {
    if (wasReady) log.info({ redis: address, role }, "redis reconnected");
    wasReady = true;
    lastError = "";
  });
  redis.on("error", (error: Error) => {
    // ioredis emits this on every failed reconnect attempt; say it once per kind.
    if (error.message === lastError) return;
    lastError = error.message;
    log.warn({ redis: address, role, err: error }, "redis connection error");
  });
  redis.on("close", () => {
    if (wasReady && redis.status !== "end") log.warn({ redis: address, role }, "redis connection lost; reconnecting");
  });
  return redis;
}

/** Connects, or throws when Redis has not answered within `timeoutMs`. */
export async function connectRedis(redis: Redis, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([redis.connect(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
