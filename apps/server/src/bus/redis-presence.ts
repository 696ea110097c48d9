import type { Redis } from "ioredis";
import type { PresenceEvent, PresenceTracker } from "./presence-tracker";
import { encodeEnvelopes } from "./redis";
import type { RedisLogger } from "./redis-connection";
import { type PresenceKeys, PresenceScripts } from "./redis-presence-scripts";

export interface RedisPresenceOptions {
  /** The command connection (shared with the bus's publisher). */
  redis: Redis;
  keys: PresenceKeys;
  channel: string;
  instanceId: string;
  /** Heartbeat TTL: an instance silent for this long is swept by the others. */
  ttlMs: number;
  /** Who shares a conversation with the user (the store's contactsOf). */
  contactsOf(userId: string): Promise<string[]>;
  log: RedisLogger;
  /** Other per-instance records kept alive by this heartbeat (the connection counts): swept and re-recorded with it. */
  alongside?: { sweep(deadId: string): Promise<void>; rerecord(): Promise<void> };
}

/**
 * Presence across instances. Each instance records in Redis which users it holds
 * and refreshes a heartbeat every ttl/3; a user is online while any instance
 * holds them. Every ttl/3 each instance also looks for instances whose heartbeat
 * expired (crashed, kill -9) and sweeps their users: those held nowhere else are
 * announced offline. Bound: a crashed instance's users go offline at most
 * ttl + ttl/3 (+ the contacts lookups) after the crash.
 *
 * Redis failures never fail a connection: a change that could not be recorded is
 * repaired by `reconcile()`, which runs when Redis is reachable again and when the
 * heartbeat finds it had expired (Redis restarted, or this instance was swept).
 */
export class RedisPresenceTracker implements PresenceTracker {
  /** Users with at least one connection here (as told by connected/disconnected). */
  private readonly local = new Set<string>();
  /** Users who left while Redis could not record it. */
  private readonly unrecordedLeaves = new Set<string>();
  private readonly scripts: PresenceScripts;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private closed = false;

  constructor(private readonly options: RedisPresenceOptions) {
    this.scripts = new PresenceScripts(options.redis, options.keys, options.channel);
    options.redis.on("ready", () => void this.reconcile());
  }

  /** First heartbeat, then the heartbeat-and-sweep timer. */
  async start(): Promise<void> {
    await this.scripts.heartbeat(this.options.instanceId, this.options.ttlMs);
    this.timer = setInterval(
      () => {
        this.ticking ??= this.tick().finally(() => {
          this.ticking = undefined;
        });
      },
      Math.max(100, Math.floor(this.options.ttlMs / 3)),
    );
    this.timer.unref();
  }

  async connected(userId: string, event: PresenceEvent): Promise<void> {
    this.local.add(userId);
    this.unrecordedLeaves.delete(userId);
    const { wasAlive } = await this.scripts.arrive(
      this.options.instanceId,
      userId,
      this.options.ttlMs,
      this.payloads(event),
    );
    // Redis lost our records (restart) or swept us: record every other user again.
    if (!wasAlive) void this.reconcile();
  }

  async disconnected(userId: string, event: PresenceEvent): Promise<void> {
    this.local.delete(userId);
    try {
      await this.scripts.leave(this.options.instanceId, userId, this.payloads(event), false);
    } catch (error) {
      if (!this.local.has(userId)) this.unrecordedLeaves.add(userId);
      throw error;
    }
  }

  /** The users among `userIds` that some instance holds a connection of (one round trip). */
  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    const online = new Set<string>();
    if (userIds.length === 0) return online;
    const pipeline = this.options.redis.pipeline();
    for (const userId of userIds) pipeline.exists(this.options.keys.user(userId));
    const results = (await pipeline.exec()) ?? [];
    userIds.forEach((userId, i) => {
      const [error, held] = results[i] ?? [new Error("no reply"), 0];
      if (error) throw error;
      if (held === 1) online.add(userId);
    });
    return online;
  }

  /**
   * Stops the timer and removes this instance from Redis. Users still recorded
   * here (their leave could not be recorded) stay for another instance to sweep.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.reconciling;
    const { redis, keys, instanceId } = this.options;
    try {
      await redis.del(keys.alive(instanceId));
      await this.scripts.forgetInstance(instanceId);
    } catch (error) {
      this.options.log.warn({ err: error }, "presence: could not remove this instance from redis");
    }
  }

  /** The announcement's messages (several for a user with very many contacts; none for one with none). */
  private payloads(event: PresenceEvent): string[] {
    return event.recipients.length === 0 ? [] : encodeEnvelopes("", event);
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    try {
      const wasAlive = await this.scripts.heartbeat(this.options.instanceId, this.options.ttlMs);
      if (!wasAlive) {
        this.options.log.warn({ instanceId: this.options.instanceId }, "presence heartbeat had expired; re-recording");
        void this.reconcile();
      }
      await this.sweepDeadInstances();
    } catch (error) {
      this.options.log.warn({ err: error }, "presence heartbeat or sweep failed");
    }
  }

  private async sweepDeadInstances(): Promise<void> {
    const { redis, keys, instanceId, ttlMs } = this.options;
    const instances = await redis.smembers(keys.instances());
    for (const other of instances) {
      if (other === instanceId || this.closed) continue;
      if ((await redis.exists(keys.alive(other))) === 1) continue;
      // One sweeper per dead instance at a time; the lock expires by itself.
      const locked = await redis.set(keys.sweepLock(other), instanceId, "PX", ttlMs, "NX");
      if (locked !== "OK") continue;
      await this.sweep(other);
    }
  }

  private async sweep(deadId: string): Promise<void> {
    const { redis, keys, contactsOf, log, alongside } = this.options;
    // First: forgetInstance below keeps the instance while these records remain.
    await alongside?.sweep(deadId);
    const users = await redis.smembers(keys.instanceUsers(deadId));
    let announced = 0;
    for (const userId of users) {
      const recipients = await contactsOf(userId);
      const event: PresenceEvent = { type: "presence", recipients, userId, online: false };
      const result = await this.scripts.sweepUser(deadId, userId, this.payloads(event));
      if (result === "alive") return;
      if (result === "announced") announced++;
    }
    await this.scripts.forgetInstance(deadId);
    log.info(
      { instanceId: deadId, users: users.length, announcedOffline: announced },
      "presence: swept a dead instance",
    );
  }

  /** Records every local user again and retries the leaves Redis missed. One run at a time. */
  private reconcile(): Promise<void> {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.reconcileAgain = false;
        await this.reconcileOnce();
      } while (this.reconcileAgain && !this.closed);
    })().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  /**
   * The local users whose record in Redis is missing (all of them after a Redis
   * restart, none after a mere reconnect), in one round trip: only those need
   * their contacts looked up and an `arrive`.
   */
  private async unrecordedArrivals(userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const { redis, keys, instanceId } = this.options;
    const pipeline = redis.pipeline();
    for (const userId of userIds) pipeline.hexists(keys.user(userId), instanceId);
    const results = (await pipeline.exec()) ?? [];
    return userIds.filter((_, i) => {
      const [error, recorded] = results[i] ?? [new Error("no reply"), 0];
      if (error) throw error;
      return recorded !== 1;
    });
  }

  private async reconcileOnce(): Promise<void> {
    const { instanceId, ttlMs, contactsOf, log } = this.options;
    try {
      await this.scripts.heartbeat(instanceId, ttlMs);
      const unrecorded = await this.unrecordedArrivals([...this.local]);
      for (const userId of unrecorded) {
        const event: PresenceEvent = { type: "presence", recipients: await contactsOf(userId), userId, online: true };
        // Checked after the lookup: a leave recorded meanwhile must not be undone.
        if (this.local.has(userId)) await this.scripts.arrive(instanceId, userId, ttlMs, this.payloads(event));
      }
      for (const userId of [...this.unrecordedLeaves]) {
        const event: PresenceEvent = { type: "presence", recipients: await contactsOf(userId), userId, online: false };
        if (this.local.has(userId) || !this.unrecordedLeaves.has(userId)) continue;
        // force: after a Redis restart the record is gone, yet the others still think the user is online.
        await this.scripts.leave(instanceId, userId, this.payloads(event), true);
        this.unrecordedLeaves.delete(userId);
      }
      await this.options.alongside?.rerecord();
      log.info({ users: this.local.size, rerecorded: unrecorded.length }, "presence re-recorded in redis");
    } catch (error) {
      log.warn({ err: error }, "presence reconcile failed; retrying when redis is back");
    }
  }
}
