import type { Redis } from "ioredis";
import type { RedisLogger } from "./redis-connection";
import type { PresenceKeys } from "./redis-presence-scripts";
import type { UserConnectionCounter } from "./user-connection-counter";

/**
 * MAX_CONNECTIONS_PER_USER across instances. Per user, a sorted set of their
 * authenticated connections on every instance (members `<instanceId>:<n>`),
 * scored by a Redis counter, so the order is the order of authentication
 * whatever the instances' clocks say. Adding past the limit removes the oldest
 * members in the same script and returns them: the caller closes them wherever
 * they live (bus event `connection_replaced`).
 *
 * Each instance also records which users it has members for; the presence
 * sweeper (redis-presence.ts, the same heartbeat and lock) removes a dead
 * instance's members before forgetting it, so that a crash does not keep its
 * connections counted after the presence TTL. Each set holds at most about
 * MAX_CONNECTIONS_PER_USER members: the scripts may read it whole.
 */

/** KEYS: user, instanceUsers, seq. ARGV: member, userId, limit (0: do not trim). Returns the members removed, oldest first. */
const ADD = `
redis.call('ZADD', KEYS[1], 'NX', redis.call('INCR', KEYS[3]), ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
local limit = tonumber(ARGV[3])
local excess = redis.call('ZCARD', KEYS[1]) - limit
if limit == 0 or excess <= 0 then return {} end
local oldest = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
redis.call('ZREM', KEYS[1], unpack(oldest))
return oldest
`;

/** KEYS: user, instanceUsers. ARGV: member, userId, instance prefix. Forgets the user for the instance once it has no member left. */
const REMOVE = `
redis.call('ZREM', KEYS[1], ARGV[1])
local prefix = ARGV[3]
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, 1, #prefix) == prefix then return 0 end
end
redis.call('SREM', KEYS[2], ARGV[2])
return 1
`;

/** KEYS: user, deadUsers, deadAlive. ARGV: dead instance prefix, userId. Returns -1 when the instance is alive after all. */
const SWEEP_USER = `
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local prefix = ARGV[1]
local removed = 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(member, 1, #prefix) == prefix then
    redis.call('ZREM', KEYS[1], member)
    removed = removed + 1
  end
end
redis.call('SREM', KEYS[2], ARGV[2])
return removed
`;

export interface RedisUserConnectionsOptions {
  /** The command connection (shared with bus and presence): fails fast while Redis is away. */
  redis: Redis;
  keys: PresenceKeys;
  instanceId: string;
  log: RedisLogger;
}

export class RedisUserConnections implements UserConnectionCounter {
  /** This instance's recorded connections (id → user), to record them again when Redis lost them. */
  private readonly local = new Map<string, string>();
  /** Writes not yet answered (close waits for them). */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: RedisUserConnectionsOptions) {}

  /** Ids are this instance's id, a colon, then anything: the sweeper finds an instance's members by that prefix. */
  idFor(n: number): string {
    return `${this.options.instanceId}:${n}`;
  }

  opened(userId: string, connectionId: string, limit: number): Promise<string[]> {
    this.local.set(connectionId, userId);
    return this.track(this.add(userId, connectionId, limit));
  }

  async closed(userId: string, connectionId: string): Promise<void> {
    this.local.delete(connectionId);
    const { redis, keys, instanceId } = this.options;
    await this.track(
      redis.eval(
        REMOVE,
        2,
        keys.userConnections(userId),
        keys.instanceConnectionUsers(instanceId),
        connectionId,
        userId,
        `${instanceId}:`,
      ),
    );
  }

  /** Removes a dead instance's connections from every user's count (called by the presence sweeper, under its lock). */
  async sweep(deadId: string): Promise<void> {
    const { redis, keys, log } = this.options;
    const users = await redis.smembers(keys.instanceConnectionUsers(deadId));
    let removed = 0;
    for (const userId of users) {
      const result = (await redis.eval(
        SWEEP_USER,
        3,
        keys.userConnections(userId),
        keys.instanceConnectionUsers(deadId),
        keys.alive(deadId),
        `${deadId}:`,
        userId,
      )) as number;
      if (result === -1) return;
      removed += result;
    }
    if (users.length > 0)
      log.info({ instanceId: deadId, users: users.length, removed }, "swept a dead instance's connections");
  }

  /**
   * Records this instance's connections again (Redis restarted, or this instance was
   * swept while it was only slow). Without trimming: a repair closes nobody; the
   * user's next connection trims.
   */
  async rerecord(): Promise<void> {
    for (const [connectionId, userId] of [...this.local]) {
      if (this.local.has(connectionId)) await this.add(userId, connectionId, 0);
    }
  }

  /** Resolves once every write sent so far was answered (before the connection is quit). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async add(userId: string, connectionId: string, limit: number): Promise<string[]> {
    const { redis, keys, instanceId } = this.options;
    return (await redis.eval(
      ADD,
      3,
      keys.userConnections(userId),
      keys.instanceConnectionUsers(instanceId),
      keys.connectionSeq(),
      connectionId,
      userId,
      limit,
    )) as string[];
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.then(
      () => this.pending.delete(promise),
      () => this.pending.delete(promise),
    );
    return promise;
  }
}
