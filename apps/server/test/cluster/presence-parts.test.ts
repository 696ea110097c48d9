import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_BUS_MESSAGE_BYTES } from "../../src/bus/bus-payloads";
import { decodeEnvelope } from "../../src/bus/redis";
import { connectRedis, createRedisConnection, type RedisLogger } from "../../src/bus/redis-connection";
import { RedisPresenceTracker } from "../../src/bus/redis-presence";
import { PresenceKeys } from "../../src/bus/redis-presence-scripts";
import { deleteKeys } from "./support/cluster";
import { REDIS_URL, suiteTitle } from "./support/env";

const quiet: RedisLogger = { info: () => {}, warn: () => {}, error: () => {} };
const prefix = `mpchat-presence-parts-${randomBytes(4).toString("hex")}:`;
/** Contacts with the longest ids the protocol allows: ~2.8 MB of recipients. */
const contacts = Array.from({ length: 40_000 }, (_, i) => `${"c".repeat(58)}${String(i).padStart(6, "0")}`);

describe.skipIf(!REDIS_URL)(
  suiteTitle("presence of a user with 40,000 contacts", REDIS_URL ? undefined : "skipped: REDIS_URL not set"),
  { timeout: 60_000 },
  () => {
    const connections: Redis[] = [];
    const connection = async (role: "commands" | "subscriber") => {
      const redis = createRedisConnection(REDIS_URL ?? "", role, "presence-parts-test", quiet);
      connections.push(redis);
      await connectRedis(redis, 10_000);
      return redis;
    };
    let tracker: RedisPresenceTracker | undefined;
    afterAll(async () => {
      await tracker?.close();
      for (const redis of connections) redis.disconnect();
      await deleteKeys(REDIS_URL ?? "", prefix);
    });

    it("is announced by the presence scripts in parts of at most 1 MiB, every contact once, online before offline", async () => {
      const heard: { online: boolean; recipients: readonly string[]; bytes: number }[] = [];
      let wake = () => {};
      const subscriber = await connection("subscriber");
      subscriber.on("messageBuffer", (_channel: Buffer, payload: Buffer) => {
        const event = decodeEnvelope(payload.toString())?.event;
        if (event?.type === "presence")
          heard.push({ online: event.online, recipients: event.recipients, bytes: payload.length });
        wake();
      });
      await subscriber.subscribe(`${prefix}events`);
      tracker = new RedisPresenceTracker({
        redis: await connection("commands"),
        keys: new PresenceKeys(prefix),
        channel: `${prefix}events`,
        instanceId: "x",
        ttlMs: 5000,
        contactsOf: async () => contacts,
        log: quiet,
      });
      await tracker.start();
      await tracker.connected("star", { type: "presence", recipients: contacts, userId: "star", online: true });
      await tracker.disconnected("star", { type: "presence", recipients: contacts, userId: "star", online: false });
      const all = () => heard.reduce((sum, part) => sum + part.recipients.length, 0) >= 2 * contacts.length;
      await new Promise<void>((resolve) => {
        wake = () => all() && resolve();
        wake();
      });
      expect(heard.length).toBeGreaterThan(2);
      for (const part of heard) expect(part.bytes).toBeLessThanOrEqual(MAX_BUS_MESSAGE_BYTES);
      const online = heard.filter((part) => part.online);
      expect(heard.slice(0, online.length)).toEqual(online);
      expect(online.flatMap((part) => part.recipients)).toEqual(contacts);
      expect(heard.slice(online.length).flatMap((part) => part.recipients)).toEqual(contacts);
    });
  },
);
