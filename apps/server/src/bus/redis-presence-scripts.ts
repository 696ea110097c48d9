import type { Redis } from "ioredis";

/**
 * The Lua scripts of cross-instance presence. Each runs atomically in Redis and,
 * when it changes whether a user is online anywhere, PUBLISHes the prepared
 * `presence` envelope itself: the announcements therefore reach subscribers in
 * the same order as the changes happened, whichever instances made them.
 *
 * Data (all under the deployment's prefix P):
 *   P presence:user:<userId>          HASH instanceId → "1": the instances holding a connection of the user
 *   P presence:instance:<id>:users    SET of userIds: the users an instance holds (for sweeping it)
 *   P presence:instance:<id>:alive    STRING with a TTL: the instance's heartbeat
 *   P presence:instances              SET of instance ids that may hold users
 *   P connections:…                   each user's connections, kept alive by the same heartbeat (redis-user-connections.ts)
 *
 * Scripts are sent with EVAL every time (Redis caches them compiled): EVALSHA's
 * NOSCRIPT fallback after a Redis restart could reorder two scripts of one user.
 */

/** KEYS: user, instanceUsers, instances, alive. ARGV: instanceId, userId, ttlMs, channel, payloads…. Returns {announced, wasAlive}. */
const ARRIVE = `
local wasAlive = redis.call('EXISTS', KEYS[4])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
local added = redis.call('HSET', KEYS[1], ARGV[1], '1')
if added == 1 and redis.call('HLEN', KEYS[1]) == 1 then
  for i = 5, #ARGV do redis.call('PUBLISH', ARGV[4], ARGV[i]) end
  return {1, wasAlive}
end
return {0, wasAlive}
`;

/** KEYS: user, instanceUsers. ARGV: instanceId, userId, channel, force, payloads…. Returns 1 when announced. */
const LEAVE = `
redis.call('SREM', KEYS[2], ARGV[2])
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 and (removed == 1 or ARGV[4] == '1') then
  for i = 5, #ARGV do redis.call('PUBLISH', ARGV[3], ARGV[i]) end
  return 1
end
return 0
`;

/** KEYS: user, deadUsers, deadAlive. ARGV: deadId, userId, channel, payloads…. Returns -1 when the instance is alive after all. */
const SWEEP_USER = `
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
redis.call('SREM', KEYS[2], ARGV[2])
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
if removed == 1 and redis.call('HLEN', KEYS[1]) == 0 then
  for i = 4, #ARGV do redis.call('PUBLISH', ARGV[3], ARGV[i]) end
  return 1
end
return 0
`;

/** KEYS: instances, users, alive, connectionUsers. ARGV: instanceId. Forgets an instance that is dead and holds nobody. */
const FORGET_INSTANCE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
if redis.call('SCARD', KEYS[4]) > 0 then return 0 end
redis.call('SREM', KEYS[1], ARGV[1])
return 1
`;

/** KEYS: alive, instances. ARGV: instanceId, ttlMs. Returns 1 when the heartbeat was still alive. */
const HEARTBEAT = `
local existed = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return existed
`;

/** The Redis names of one deployment (prefix). */
export class PresenceKeys {
  constructor(private readonly prefix: string) {}
  user(userId: string): string {
    return `${this.prefix}presence:user:${userId}`;
  }
  instanceUsers(instanceId: string): string {
    return `${this.prefix}presence:instance:${instanceId}:users`;
  }
  alive(instanceId: string): string {
    return `${this.prefix}presence:instance:${instanceId}:alive`;
  }
  sweepLock(instanceId: string): string {
    return `${this.prefix}presence:instance:${instanceId}:sweeping`;
  }
  instances(): string {
    return `${this.prefix}presence:instances`;
  }
  /** ZSET `<instanceId>:<n>` → order of authentication: the user's connections on every instance (redis-user-connections.ts). */
  userConnections(userId: string): string {
    return `${this.prefix}connections:user:${userId}`;
  }
  /** SET of userIds that may have entries of this instance in their userConnections (for sweeping it). */
  instanceConnectionUsers(instanceId: string): string {
    return `${this.prefix}connections:instance:${instanceId}:users`;
  }
  /** Counter giving every authentication its place in the order, whichever instance it is on. */
  connectionSeq(): string {
    return `${this.prefix}connections:seq`;
  }
}

/** Typed calls of the scripts above. */
export class PresenceScripts {
  constructor(
    private readonly redis: Redis,
    private readonly keys: PresenceKeys,
    private readonly channel: string,
  ) {}

  async arrive(
    instanceId: string,
    userId: string,
    ttlMs: number,
    payloads: readonly string[],
  ): Promise<{ announced: boolean; wasAlive: boolean }> {
    const k = this.keys;
    const result = (await this.redis.eval(
      ARRIVE,
      4,
      k.user(userId),
      k.instanceUsers(instanceId),
      k.instances(),
      k.alive(instanceId),
      instanceId,
      userId,
      ttlMs,
      this.channel,
      ...payloads,
    )) as [number, number];
    return { announced: result[0] === 1, wasAlive: result[1] === 1 };
  }

  async leave(instanceId: string, userId: string, payloads: readonly string[], force: boolean): Promise<boolean> {
    const k = this.keys;
    const result = await this.redis.eval(
      LEAVE,
      2,
      k.user(userId),
      k.instanceUsers(instanceId),
      instanceId,
      userId,
      this.channel,
      force ? "1" : "0",
      ...payloads,
    );
    return result === 1;
  }

  /** "alive" when the instance turned out to be alive (nothing was changed). */
  async sweepUser(
    deadId: string,
    userId: string,
    payloads: readonly string[],
  ): Promise<"announced" | "unchanged" | "alive"> {
    const k = this.keys;
    const result = await this.redis.eval(
      SWEEP_USER,
      3,
      k.user(userId),
      k.instanceUsers(deadId),
      k.alive(deadId),
      deadId,
      userId,
      this.channel,
      ...payloads,
    );
    return result === -1 ? "alive" : result === 1 ? "announced" : "unchanged";
  }

  async forgetInstance(instanceId: string): Promise<boolean> {
    const k = this.keys;
    const result = await this.redis.eval(
      FORGET_INSTANCE,
      4,
      k.instances(),
      k.instanceUsers(instanceId),
      k.alive(instanceId),
      k.instanceConnectionUsers(instanceId),
      instanceId,
    );
    return result === 1;
  }

  /** Refreshes the heartbeat; false when it had expired (or Redis lost it). */
  async heartbeat(instanceId: string, ttlMs: number): Promise<boolean> {
    const k = this.keys;
    const result = await this.redis.eval(HEARTBEAT, 2, k.alive(instanceId), k.instances(), instanceId, ttlMs);
    return result === 1;
  }
}
