import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { RedisBus } from "./redis";
import { connectRedis, createRedisConnection, type RedisLogger, redisAddress } from "./redis-connection";
import { RedisPresenceTracker } from "./redis-presence";
import { PresenceKeys } from "./redis-presence-scripts";
import { RedisUserConnections } from "./redis-user-connections";

export interface RedisSetupOptions {
  url: string;
  /** Prefix of every key and of the channel (REDIS_PREFIX). */
  prefix: string;
  presenceTtlMs: number;
  /** How long the start may wait for Redis before it fails. */
  connectTimeoutMs: number;
  contactsOf(userId: string): Promise<string[]>;
  log: RedisLogger;
}

/** The bus and presence of one instance in a Redis-backed deployment, and their two connections. */
export interface RedisSetup {
  instanceId: string;
  bus: RedisBus;
  presence: RedisPresenceTracker;
  /** Each user's connections on every instance (MAX_CONNECTIONS_PER_USER across instances). */
  connections: RedisUserConnections;
  /** The command connection (bus publishes, presence), for other shared state such as the HTTP rate-limit counters. */
  commands: Redis;
  /** Stops presence (removing this instance), the bus, then quits both connections. */
  close(): Promise<void>;
}

async function quit(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

/** Connects to Redis (failing the start when it does not answer) and starts bus and presence. */
export async function openRedisSetup(options: RedisSetupOptions): Promise<RedisSetup> {
  const instanceId = randomBytes(6).toString("hex");
  const name = `mpchat-${instanceId}`;
  const publisher = createRedisConnection(options.url, "commands", name, options.log);
  const subscriber = createRedisConnection(options.url, "subscriber", `${name}-sub`, options.log);
  const channel = `${options.prefix}events`;
  try {
    await Promise.all([
      connectRedis(publisher, options.connectTimeoutMs),
      connectRedis(subscriber, options.connectTimeoutMs),
    ]);
    const bus = new RedisBus({ publisher, subscriber, channel, instanceId, log: options.log });
    await bus.start();
    const keys = new PresenceKeys(options.prefix);
    const connections = new RedisUserConnections({ redis: publisher, keys, instanceId, log: options.log });
    const presence = new RedisPresenceTracker({
      redis: publisher,
      keys,
      channel,
      instanceId,
      ttlMs: options.presenceTtlMs,
      contactsOf: options.contactsOf,
      log: options.log,
      alongside: connections,
    });
    await presence.start();
    options.log.info(
      { redis: redisAddress(options.url), channel, instanceId, host: hostname(), pid: process.pid },
      "redis bus and presence started",
    );
    return {
      instanceId,
      bus,
      presence,
      connections,
      commands: publisher,
      close: async () => {
        await connections.drain();
        await presence.close();
        await bus.close();
        await Promise.all([quit(publisher), quit(subscriber)]);
      },
    };
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw new Error(`REDIS_URL: cannot use Redis at ${redisAddress(options.url)}: ${(error as Error).message}`);
  }
}
