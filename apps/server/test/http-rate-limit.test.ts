import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { REDIS_URL, suiteTitle } from "./cluster/support/env";
import { devLogin, rawRequest } from "./support/api";
import { startTestServer, type TestConfig, type TestServer, type TestServerOptions } from "./support/server";

const REDIS_SKIP = REDIS_URL ? undefined : "skipped: REDIS_URL not set (e.g. REDIS_URL=redis://127.0.0.1:6379)";

/** A 429 in the protocol's shape, with a Retry-After of at least one second. */
function expectRateLimited(answer: { status: number; body: unknown; headers: Headers }): void {
  expect(answer.status).toBe(429);
  expect(answer.body).toMatchObject({ error: { code: "rate_limited", message: expect.any(String) } });
  expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
}

const limits = (loginPerMinute: number, requestsPerMinute: number): TestConfig => ({
  httpRateLimit: { loginPerMinute, requestsPerMinute },
});

describe("HTTP rate limits", () => {
  const servers: TestServer[] = [];
  const start = async (config: TestConfig, deps?: TestServerOptions["deps"]) => {
    const server = await startTestServer({ config, ...(deps ? { deps } : {}) });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    // Later servers may share the first one's store: close them first.
    for (const server of servers.reverse()) await server.close();
    servers.length = 0;
  });

  it("limits logins per address, refused ones included; health, metrics and tokens already issued stay usable", async () => {
    const server = await start(limits(4, 1000));
    const { token } = await devLogin(server, "alice");
    // Refused logins of every kind count: bad body, bad JSON, unknown login route, WeChat without credentials.
    const refused = [
      await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "" } }),
      await rawRequest(server, "POST", "/v1/auth/dev", {
        rawBody: "{not json",
        headers: { "content-type": "application/json" },
      }),
      await rawRequest(server, "POST", "/v1/auth/nope", { body: {} }),
    ];
    expect(refused.map((answer) => answer.status)).toEqual([400, 400, 404]);
    // The fifth attempt of the minute, valid or not, on any login route.
    expectRateLimited(await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "bob" } }));
    expectRateLimited(await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code: "x" } }));
    expect(await server.store.getUser("bob")).toBeNull();
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      expect((await rawRequest(server, "GET", path)).status).toBe(200);
    }
    expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(200);
  });

  it("counts X-Forwarded-For only with TRUST_PROXY on", async () => {
    const forwarded = (address: string) => ({ body: { userId: "carol" }, headers: { "x-forwarded-for": address } });
    const direct = await start({ ...limits(2, 1000), trustProxy: false });
    expect((await rawRequest(direct, "POST", "/v1/auth/dev", forwarded("10.0.0.1"))).status).toBe(200);
    expect((await rawRequest(direct, "POST", "/v1/auth/dev", forwarded("10.0.0.2"))).status).toBe(200);
    // Without a trusted proxy the header is the client's word: all three come from 127.0.0.1.
    expectRateLimited(await rawRequest(direct, "POST", "/v1/auth/dev", forwarded("10.0.0.3")));

    const behindProxy = await start({ ...limits(2, 1000), trustProxy: true });
    for (let i = 0; i < 2; i++) {
      expect((await rawRequest(behindProxy, "POST", "/v1/auth/dev", forwarded("10.0.0.1"))).status).toBe(200);
    }
    expectRateLimited(await rawRequest(behindProxy, "POST", "/v1/auth/dev", forwarded("10.0.0.1")));
    // Another client behind the same proxy has its own count.
    expect((await rawRequest(behindProxy, "POST", "/v1/auth/dev", forwarded("10.0.0.2"))).status).toBe(200);
  });

  it("limits authenticated requests per user, not per address", async () => {
    const server = await start(limits(1000, 5));
    const alice = (await devLogin(server, "alice")).token;
    const bob = (await devLogin(server, "bob")).token;
    const paths = ["/v1/me", "/v1/conversations", "/v1/me", "/v1/conversations/c1/messages", "/v1/me"];
    const answers = [];
    for (const path of paths) answers.push((await rawRequest(server, "GET", path, { token: alice })).status);
    expect(answers).toEqual([200, 200, 200, 404, 200]);
    expectRateLimited(await rawRequest(server, "GET", "/v1/conversations", { token: alice }));
    expectRateLimited(await rawRequest(server, "POST", "/v1/conversations", { token: alice, body: {} }));
    // Same address, another user: their own budget.
    expect((await rawRequest(server, "GET", "/v1/me", { token: bob })).status).toBe(200);
    // Unauthenticated answers carry no user and do not count toward anyone's.
    expect((await rawRequest(server, "GET", "/v1/me", { token: "bad" })).status).toBe(401);
  });

  describe.skipIf(REDIS_SKIP !== undefined)(suiteTitle("across instances (Redis)", REDIS_SKIP), () => {
    const pair = async (config: TestConfig) => {
      const shared: TestConfig = {
        ...config,
        redisUrl: REDIS_URL,
        redisPrefix: `mpchat-test-${randomBytes(4).toString("hex")}:`,
        tokenSecret: randomBytes(32).toString("hex"),
      };
      const first = await start(shared);
      const second = await start(shared, { store: first.store });
      return [first, second] as const;
    };

    it("counts one user's requests on every instance toward one limit", async () => {
      const [first, second] = await pair(limits(1000, 6));
      const { token } = await devLogin(first, "alice");
      for (let i = 0; i < 6; i++) {
        const server = i % 2 === 0 ? first : second;
        expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(200);
      }
      // Three on each: either instance refuses the seventh.
      expectRateLimited(await rawRequest(first, "GET", "/v1/me", { token }));
      expectRateLimited(await rawRequest(second, "GET", "/v1/me", { token }));
      // The shared counter lives under REDIS_PREFIX.
      const redis = new Redis(REDIS_URL ?? "");
      try {
        expect(Number(await redis.get(`${first.config.redisPrefix}ratelimit:user:alice`))).toBeGreaterThanOrEqual(6);
      } finally {
        redis.disconnect();
      }
    });

    it("counts one address's logins on every instance toward one limit", async () => {
      const [first, second] = await pair(limits(4, 1000));
      for (let i = 0; i < 4; i++) {
        const server = i % 2 === 0 ? first : second;
        expect((await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: `u${i}` } })).status).toBe(200);
      }
      expectRateLimited(await rawRequest(second, "POST", "/v1/auth/dev", { body: { userId: "late" } }));
      expectRateLimited(await rawRequest(first, "POST", "/v1/auth/dev", { body: { userId: "late" } }));
    });
  });
});
