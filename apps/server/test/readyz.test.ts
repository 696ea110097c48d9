import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deleteKeys } from "./cluster/support/cluster";
import { rawRequest } from "./support/api";
import { startTestServer } from "./support/server";
import { TcpProxy } from "./support/tcp-proxy";

const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;

/** What a driver says when it fails: hosts, users, passwords. None of it may reach the answer. */
const DRIVER_TEXT = "connect ECONNREFUSED 10.1.2.3:3306 (user 'mpchat' using password: hunter2)";

describe("/readyz says which dependency is down, and nothing of the driver's text", () => {
  it("answers 200 with each dependency up", async () => {
    const server = await startTestServer();
    try {
      expect(await rawRequest(server, "GET", "/readyz")).toMatchObject({
        status: 200,
        body: { status: "ready", store: "up", bus: "up" },
      });
    } finally {
      await server.close();
    }
  });

  it("answers 503 store down when the store does not answer", async () => {
    const healthy = await startTestServer();
    const failingStore = new Proxy(healthy.store, {
      get: (target, property, receiver) =>
        property === "ping"
          ? async () => Promise.reject(new Error(DRIVER_TEXT))
          : Reflect.get(target, property, receiver),
    });
    const server = await startTestServer({ deps: { store: failingStore } });
    try {
      const answer = await rawRequest(server, "GET", "/readyz");
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({
        status: "unavailable",
        store: "down",
        bus: "up",
        error: { code: "unavailable", message: "not ready: store down" },
      });
      for (const leak of ["ECONNREFUSED", "10.1.2.3", "hunter2", "mpchat'"]) {
        expect(JSON.stringify(answer.body)).not.toContain(leak);
      }
    } finally {
      await server.close();
      await healthy.close();
    }
  });

  it.skipIf(!REDIS_URL)(
    `answers 503 bus down when Redis is behind a port that is now closed${REDIS_URL ? "" : " (skipped: REDIS_URL not set)"}`,
    async () => {
      const redis = new URL(REDIS_URL as string);
      const proxy = await TcpProxy.start(() => [Number(redis.port || 6379)], redis.hostname);
      const lost: Array<() => void> = [];
      const redisPrefix = `mpchat-readyz-${randomBytes(5).toString("hex")}:`;
      const server = await startTestServer({
        config: {
          redisUrl: `redis://127.0.0.1:${proxy.port}`,
          redisPrefix,
          dbTimeoutMs: 1_000,
          logLevel: "info",
        },
        deps: {
          logStream: {
            write: (line) => {
              if (line.includes("redis connection lost")) for (const resolve of lost.splice(0)) resolve();
            },
          },
        },
      });
      try {
        expect((await rawRequest(server, "GET", "/readyz")).body).toMatchObject({ store: "up", bus: "up" });
        const noticed = new Promise<void>((resolve) => lost.push(resolve));
        await proxy.close();
        await noticed;
        const answer = await rawRequest(server, "GET", "/readyz");
        expect(answer.status).toBe(503);
        expect(answer.body).toEqual({
          status: "unavailable",
          store: "up",
          bus: "down",
          error: { code: "unavailable", message: "not ready: bus down" },
        });
        expect(JSON.stringify(answer.body)).not.toMatch(/redis|ECONNREFUSED|127\.0\.0\.1|reconnecting/i);
      } finally {
        await server.close();
        await deleteKeys(REDIS_URL as string, redisPrefix);
      }
    },
  );
});
