import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import type { PresenceEvent } from "../../src/bus/presence-tracker";
import { decodeEnvelope } from "../../src/bus/redis";
import { connectRedis, createRedisConnection, type RedisLogger } from "../../src/bus/redis-connection";
import { RedisPresenceTracker } from "../../src/bus/redis-presence";
import { PresenceKeys } from "../../src/bus/redis-presence-scripts";
import { deleteKeys } from "./support/cluster";
import { REDIS_URL, suiteTitle } from "./support/env";

// Long enough that a stall of this (loaded) test process does not expire a live instance.
const TTL_MS = 2000;
const WAIT_MS = 20_000;
const quiet: RedisLogger = { info: () => {}, warn: () => {}, error: () => {} };

type Announcement = { userId: string; online: boolean };

/** Several trackers ("instances") in one process, on one Redis prefix of their own, and what they announce. */
class PresenceLab {
  readonly prefix = `mpchat-presence-test-${randomBytes(4).toString("hex")}:`;
  readonly heard: Announcement[] = [];
  private readonly connections: Redis[] = [];
  private readonly trackers: RedisPresenceTracker[] = [];
  private readonly listeners = new Set<() => void>();

  async listen(): Promise<void> {
    const subscriber = await this.connection("subscriber");
    subscriber.on("message", (_channel: string, payload: string) => {
      const event = decodeEnvelope(payload)?.event;
      if (event?.type === "presence") this.heard.push({ userId: event.userId, online: event.online });
      for (const listener of [...this.listeners]) listener();
    });
    await subscriber.subscribe(`${this.prefix}events`);
  }

  async instance(id: string, ttlMs = TTL_MS): Promise<{ tracker: RedisPresenceTracker; redis: Redis }> {
    const redis = await this.connection("commands");
    const tracker = new RedisPresenceTracker({
      redis,
      keys: new PresenceKeys(this.prefix),
      channel: `${this.prefix}events`,
      instanceId: id,
      ttlMs,
      contactsOf: async () => ["watcher"],
      log: quiet,
    });
    await tracker.start();
    this.trackers.push(tracker);
    return { tracker, redis };
  }

  /** Resolves once `count` announcements about `userId` were heard. */
  until(userId: string, count: number): Promise<Announcement[]> {
    const about = () => this.heard.filter((a) => a.userId === userId);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (about().length < count) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(about());
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`heard only ${JSON.stringify(about())} about ${userId}`));
      }, WAIT_MS);
      this.listeners.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.trackers.map((tracker) => tracker.close()));
    for (const connection of this.connections) connection.disconnect();
    await deleteKeys(REDIS_URL ?? "", this.prefix);
  }

  private async connection(role: "commands" | "subscriber"): Promise<Redis> {
    const redis = createRedisConnection(REDIS_URL ?? "", role, "presence-test", quiet);
    this.connections.push(redis);
    await connectRedis(redis, 10_000);
    return redis;
  }
}

const event = (userId: string, online: boolean): PresenceEvent => ({
  type: "presence",
  recipients: ["watcher"],
  userId,
  online,
});

describe.skipIf(!REDIS_URL)(
  suiteTitle("Redis presence across instances", REDIS_URL ? undefined : "skipped: REDIS_URL not set"),
  { timeout: 60_000 },
  () => {
    let lab: PresenceLab;
    afterEach(async () => {
      await lab?.close();
    });

    it("a user hopping between instances is announced online once and offline once, when the last connection goes", async () => {
      lab = new PresenceLab();
      await lab.listen();
      const x = await lab.instance("x");
      const y = await lab.instance("y");
      await x.tracker.connected("ann", event("ann", true));
      await y.tracker.connected("ann", event("ann", true));
      await x.tracker.disconnected("ann", event("ann", false));
      await x.tracker.connected("ann", event("ann", true));
      await y.tracker.disconnected("ann", event("ann", false));
      await x.tracker.disconnected("ann", event("ann", false));
      expect(await lab.until("ann", 2)).toEqual([
        { userId: "ann", online: true },
        { userId: "ann", online: false },
      ]);
    });

    it("a dead instance's users go offline within the bound, unless connected elsewhere", async () => {
      lab = new PresenceLab();
      await lab.listen();
      const doomed = await lab.instance("doomed");
      const survivor = await lab.instance("survivor");
      await doomed.tracker.connected("bea", event("bea", true));
      await doomed.tracker.connected("cid", event("cid", true));
      await survivor.tracker.connected("cid", event("cid", true));
      await lab.until("bea", 1);
      // The doomed instance loses Redis for good: no more heartbeats, no goodbye.
      doomed.redis.disconnect();
      const started = Date.now();
      expect(await lab.until("bea", 2)).toEqual([
        { userId: "bea", online: true },
        { userId: "bea", online: false },
      ]);
      expect(Date.now() - started).toBeLessThan(TTL_MS * 4 + WAIT_MS / 2);
      // cid is still held by the survivor: never announced offline.
      await survivor.tracker.disconnected("cid", event("cid", false));
      expect(await lab.until("cid", 2)).toEqual([
        { userId: "cid", online: true },
        { userId: "cid", online: false },
      ]);
    });

    it("an instance swept while alive (a long pause) records its users again and announces them online", async () => {
      lab = new PresenceLab();
      await lab.listen();
      // Its heartbeat comes every 6.7 s, the sweeper looks every 0.7 s: the sweeper wins the race below.
      const paused = await lab.instance("paused", 20_000);
      await lab.instance("sweeper");
      await paused.tracker.connected("dee", event("dee", true));
      await lab.until("dee", 1);
      // As if its heartbeat had expired during a pause: the sweeper announces dee offline...
      await paused.redis.del(`${lab.prefix}presence:instance:paused:alive`);
      // ...and the paused instance's next heartbeat notices and records dee again.
      expect(await lab.until("dee", 3)).toEqual([
        { userId: "dee", online: true },
        { userId: "dee", online: false },
        { userId: "dee", online: true },
      ]);
      expect(await paused.redis.hkeys(`${lab.prefix}presence:user:dee`)).toEqual(["paused"]);
    });

    it("a leave that Redis missed is announced once Redis is reachable again", async () => {
      lab = new PresenceLab();
      await lab.listen();
      const x = await lab.instance("x");
      await x.tracker.connected("eli", event("eli", true));
      await lab.until("eli", 1);
      x.redis.disconnect(true); // the link drops; ioredis reconnects by itself
      await expect(x.tracker.disconnected("eli", event("eli", false))).rejects.toThrow();
      // The reconnect's reconcile retries the leave.
      expect(await lab.until("eli", 2)).toEqual([
        { userId: "eli", online: true },
        { userId: "eli", online: false },
      ]);
    });
  },
);
