import { CloseCode } from "@mpchat/protocol";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { connectRedis, createRedisConnection, type RedisLogger } from "../../src/bus/redis-connection";
import { PresenceKeys } from "../../src/bus/redis-presence-scripts";
import { type GuaranteeServer, startGuaranteeServer } from "../contract/fixture";
import { devLogin } from "../support/api";
import { TestClient } from "../support/client";
import type { TestConfig, TestServer } from "../support/server";
import type { ServerGroup } from "../support/server-group";
import { TcpProxy } from "../support/tcp-proxy";
import { deleteKeys } from "./support/cluster";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, REDIS_URL, suiteTitle, WAIT_MS } from "./support/env";

const LIMIT = 3;
/** Short, so that the test sees a dead instance swept; production default is 10 s. */
const PRESENCE_TTL_MS = 3000;
const CONFIG: TestConfig = { gateway: { maxConnectionsPerUser: LIMIT }, presenceTtlMs: PRESENCE_TTL_MS };
/** Resolves with the close, or rejects when the socket is still open after WAIT_MS. */
function closedSoon(client: TestClient) {
  return Promise.race([
    client.closed,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("socket still open")), WAIT_MS)),
  ]);
}

const quiet: RedisLogger = { info: () => {}, warn: () => {}, error: () => {} };

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("MAX_CONNECTIONS_PER_USER across instances (MariaDB + Redis, in-process instances)"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let g: GuaranteeServer;
    let instances: readonly TestServer[];
    let redis: Redis;
    let keys: PresenceKeys;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      g = await startGuaranteeServer("cluster", CONFIG);
      instances = (g.server as ServerGroup).instances;
      keys = new PresenceKeys(g.server.config.redisPrefix);
      redis = createRedisConnection(REDIS_URL ?? "", "commands", "connection-limit-test", quiet);
      await connectRedis(redis, 10_000);
    }, CLUSTER_TEST_TIMEOUT);
    afterAll(async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
      redis?.disconnect();
      await g?.close();
    });

    const at = (i: number): TestServer => instances[i % instances.length] as TestServer;
    /** How many connections of the user Redis counts, once it settles at `count`. */
    const counted = (userId: string, count: number) =>
      vi.waitFor(async () => expect(await redis.zcard(keys.userConnections(userId))).toBe(count), {
        timeout: WAIT_MS,
      });
    /** Opens an authenticated socket on `server` and waits until Redis counts it (so the order is known). */
    const openOn = async (server: TestServer, token: string, userId: string, nowCounted: number) => {
      const client = await TestClient.open(server);
      clients.push(client);
      expect(await client.request({ type: "auth", token })).toMatchObject({ type: "ready" });
      await counted(userId, nowCounted);
      return client;
    };
    /** Every client gets a message sent to the group, and still answers a ping. */
    const stillServed = async (group: string, sender: TestClient, receivers: TestClient[], text: string) => {
      expect(await sender.sendText(group, text)).toMatchObject({ type: "ack" });
      for (const client of receivers) {
        await client.waitFor(
          (f) => f.type === "message" && f.message.body.kind === "text" && f.message.body.text === text,
        );
        expect((await client.request({ type: "ping" })).type).toBe("pong");
      }
    };

    it("one connection past the limit, on any instance, closes exactly the user's oldest (elsewhere) with 4409", async () => {
      const { token } = await devLogin(at(0), "limit-ann");
      const bob = await TestClient.connect(at(2), "limit-bob");
      clients.push(bob);
      const group = await bob.api(at(2)).createGroup("limit", ["limit-ann"]);
      // Oldest on instance 0; the one past the limit on instance 1.
      const sockets = [
        await openOn(at(0), token, "limit-ann", 1),
        await openOn(at(1), token, "limit-ann", 2),
        await openOn(at(2), token, "limit-ann", 3),
      ];
      const [oldest, ...kept] = sockets as [TestClient, ...TestClient[]];
      const newest = await openOn(at(1), token, "limit-ann", LIMIT);
      expect((await closedSoon(oldest)).code).toBe(CloseCode.Replaced);
      await stillServed(group.id, bob, [...kept, newest], "after the replacement");
      for (const client of [...kept, newest]) expect(client.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("closing connections frees their places on every instance", async () => {
      const { token } = await devLogin(at(0), "limit-cy");
      const bob = await TestClient.connect(at(0), "limit-bob2");
      clients.push(bob);
      const group = await bob.api(at(0)).createGroup("frees", ["limit-cy"]);
      const first = [
        await openOn(at(0), token, "limit-cy", 1),
        await openOn(at(1), token, "limit-cy", 2),
        await openOn(at(2), token, "limit-cy", 3),
      ] as [TestClient, TestClient, TestClient];
      await first[1].close();
      await first[2].close();
      await counted("limit-cy", 1);
      const more = [await openOn(at(1), token, "limit-cy", 2), await openOn(at(2), token, "limit-cy", 3)];
      await stillServed(group.id, bob, [first[0], ...more], "three again");
      expect(first[0].socket.readyState).toBe(WebSocket.OPEN);
      // Still counted: one more replaces the oldest left (first[0]), not a newer one.
      const fourth = await openOn(at(0), token, "limit-cy", LIMIT);
      expect((await closedSoon(first[0])).code).toBe(CloseCode.Replaced);
      await stillServed(group.id, bob, [...more, fourth], "after the replacement");
    });

    it("connections opened at the same moment on every instance never all stay: exactly the excess is replaced", async () => {
      const { token } = await devLogin(at(0), "limit-eve");
      const opening = Array.from({ length: LIMIT + 2 }, async (_, i) => {
        const client = await TestClient.open(at(i));
        clients.push(client);
        expect(await client.request({ type: "auth", token })).toMatchObject({ type: "ready" });
        return client;
      });
      const sockets = await Promise.all(opening);
      // Which ones is a race; how many is not (add and trim are one script).
      await counted("limit-eve", LIMIT);
      await vi.waitFor(
        () => expect(sockets.filter((client) => client.socket.readyState !== WebSocket.OPEN)).toHaveLength(2),
        { timeout: WAIT_MS },
      );
      for (const client of sockets.filter((c) => c.socket.readyState !== WebSocket.OPEN)) {
        expect((await client.closed).code).toBe(CloseCode.Replaced);
      }
      for (const client of sockets.filter((c) => c.socket.readyState === WebSocket.OPEN)) {
        expect((await client.request({ type: "ping" })).type).toBe("pong");
      }
    });

    it("a dead instance's connections stop counting after the presence TTL", async () => {
      const redisPort = Number(new URL(REDIS_URL ?? "").port || 6379);
      const toRedis = await TcpProxy.start(() => [redisPort]);
      const doomed = await g.startAnotherInstance({ ...CONFIG, redisUrl: `redis://127.0.0.1:${toRedis.port}` });
      const { token } = await devLogin(doomed, "limit-dee");
      const onDoomed = [];
      for (let n = 1; n <= LIMIT; n++) onDoomed.push(await openOn(doomed, token, "limit-dee", n));
      // A crash as Redis sees it: the instance vanishes without removing anything it recorded.
      await toRedis.close();
      await doomed.close();
      for (const client of onDoomed) await client.closed;
      expect(await redis.zcard(keys.userConnections("limit-dee"))).toBe(LIMIT);
      // Swept by the live instances once its heartbeat expired (TTL + a sweep period, plus a loaded machine).
      await counted("limit-dee", 0);
      const fresh = [];
      for (let n = 1; n <= LIMIT; n++) fresh.push(await openOn(at(n), token, "limit-dee", n));
      for (const client of fresh) expect((await client.request({ type: "ping" })).type).toBe("pong");
      for (const client of fresh) expect(client.socket.readyState).toBe(WebSocket.OPEN);
    });

    it("connections are recorded again when Redis lost them (restarted empty), and count again", async () => {
      const { token } = await devLogin(at(0), "limit-fay");
      const sockets = [await openOn(at(0), token, "limit-fay", 1), await openOn(at(1), token, "limit-fay", 2)];
      // What a Redis restarted without persistence holds: nothing of this deployment.
      await deleteKeys(REDIS_URL ?? "", g.server.config.redisPrefix);
      // Each instance finds its heartbeat gone and records its sockets again.
      await counted("limit-fay", 2);
      const third = await openOn(at(2), token, "limit-fay", 3);
      const fourth = await openOn(at(2), token, "limit-fay", LIMIT);
      // One of the two re-recorded ones (which: the order of the instances' repairs) makes way.
      const closed = () => sockets.filter((client) => client.socket.readyState !== WebSocket.OPEN);
      await vi.waitFor(() => expect(closed()).toHaveLength(1), { timeout: WAIT_MS });
      expect((await (closed()[0] as TestClient).closed).code).toBe(CloseCode.Replaced);
      for (const client of [third, fourth]) expect((await client.request({ type: "ping" })).type).toBe("pong");
    });
  },
);
