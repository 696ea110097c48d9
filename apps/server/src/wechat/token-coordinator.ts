import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";

/** An access_token and when to stop using it. */
export interface CachedToken {
  token: string;
  /** Epoch ms when WeChat stops accepting it. */
  expiresAt: number;
  /** Epoch ms from which a fresh one is fetched (some minutes before `expiresAt`). */
  refreshAt: number;
}

/**
 * Where the instances of one deployment meet to share the token: the local one
 * (one instance) keeps nothing and lets every refresh through; the Redis one
 * keeps the token under a key and lets one refresher at a time fetch it.
 */
export interface TokenCoordinator {
  /** The shared token, if there is one. */
  read(): Promise<CachedToken | undefined>;
  /**
   * A token that `usable` accepts: the shared one if it already is, else the one
   * `fetch` brings, run by at most one instance at a time (the others wait for it).
   */
  refreshAlone(usable: (token: CachedToken) => boolean, fetch: () => Promise<CachedToken>): Promise<CachedToken>;
}

/** One instance: nothing shared, the caller's own single flight suffices. */
export const localTokenCoordinator: TokenCoordinator = {
  read: async () => undefined,
  refreshAlone: (_usable, fetch) => fetch(),
};

export interface RedisTokenCoordinatorOptions {
  redis: Redis;
  /** REDIS_PREFIX. */
  prefix: string;
  now: () => number;
  /** How long a refresher may hold the lock (a crashed one frees it after this). */
  lockMs: number;
  /** How long an instance waits for another's refresh before giving up. */
  waitMs: number;
  log: { warn(obj: object, msg: string): void };
}

/** Deletes the lock only while it is still ours (it may have expired and been taken by another). */
const RELEASE_LOCK =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** How often a waiting instance looks for the token another one is fetching. */
const POLL_MS = 50;

/**
 * The token shared through Redis: `<prefix>wechat:access_token` holds it (JSON,
 * expiring with it), `<prefix>wechat:access_token:lock` (SET NX PX) names the one
 * refresher. When Redis cannot be asked the instance fetches alone: stable_token
 * in normal mode hands every caller the same token, so that costs quota, not validity.
 */
export class RedisTokenCoordinator implements TokenCoordinator {
  private readonly key: string;
  private readonly lockKey: string;

  constructor(private readonly options: RedisTokenCoordinatorOptions) {
    this.key = `${options.prefix}wechat:access_token`;
    this.lockKey = `${this.key}:lock`;
  }

  async read(): Promise<CachedToken | undefined> {
    try {
      return parseToken(await this.options.redis.get(this.key));
    } catch (error) {
      this.options.log.warn({ err: error }, "wechat token: redis unreadable, using the local token");
      return undefined;
    }
  }

  async refreshAlone(usable: (token: CachedToken) => boolean, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    const { redis, now, lockMs, waitMs } = this.options;
    const owner = randomBytes(12).toString("hex");
    const deadline = now() + waitMs;
    for (;;) {
      let acquired: boolean;
      try {
        const shared = parseToken(await redis.get(this.key));
        if (shared && usable(shared)) return shared;
        acquired = (await redis.set(this.lockKey, owner, "PX", lockMs, "NX")) === "OK";
      } catch (error) {
        this.options.log.warn({ err: error }, "wechat token: redis unavailable, fetching without the lock");
        return fetch();
      }
      if (acquired) return this.fetchHolding(owner, usable, fetch);
      if (now() >= deadline) {
        throw new Error(`no access_token: another instance held the refresh lock for ${waitMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async fetchHolding(
    owner: string,
    usable: (token: CachedToken) => boolean,
    fetch: () => Promise<CachedToken>,
  ): Promise<CachedToken> {
    const { redis, now } = this.options;
    try {
      // Another refresher may have finished between our read and our lock.
      const shared = await this.read();
      if (shared && usable(shared)) return shared;
      const fresh = await fetch();
      const ttl = fresh.expiresAt - now();
      if (ttl > 0) {
        await redis.set(this.key, JSON.stringify(fresh), "PX", ttl).catch((error: unknown) => {
          this.options.log.warn({ err: error }, "wechat token: could not share the new token through redis");
        });
      }
      return fresh;
    } finally {
      await redis.eval(RELEASE_LOCK, 1, this.lockKey, owner).catch(() => undefined);
    }
  }
}

function parseToken(raw: string | null): CachedToken | undefined {
  if (raw === null) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return undefined;
    const { token, expiresAt, refreshAt } = value as Record<string, unknown>;
    if (typeof token !== "string" || typeof expiresAt !== "number" || typeof refreshAt !== "number") return undefined;
    return { token, expiresAt, refreshAt };
  } catch {
    return undefined;
  }
}
