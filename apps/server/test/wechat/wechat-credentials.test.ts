import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WeChatUnavailableError } from "../../src/auth/wechat-api";
import { RedisTokenCoordinator } from "../../src/wechat/token-coordinator";
import { WeChatCallError, WeChatCredentials } from "../../src/wechat/wechat-credentials";
import { WeChatMetrics } from "../../src/wechat/wechat-metrics";
import { REDIS_URL, suiteTitle } from "../cluster/support/env";
import { type FakeWeChat, startFakeWeChat } from "../support/fake-wechat";

const quiet = { warn: () => {} };

function credentials(fake: FakeWeChat, extra: Partial<ConstructorParameters<typeof WeChatCredentials>[0]> = {}) {
  const registry = new Registry();
  const service = new WeChatCredentials({
    appId: "wxapp",
    secret: "appsecret",
    baseUrl: fake.baseUrl,
    timeoutMs: 1000,
    now: Date.now,
    metrics: new WeChatMetrics(registry),
    ...extra,
  });
  return { service, registry };
}

async function counterValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((value) =>
    Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted),
  );
  return match?.value ?? 0;
}

const check = { version: 2, openid: "o1", scene: 2, content: "hello" };

describe("WeChatCredentials on one instance", () => {
  let fake: FakeWeChat;
  beforeAll(async () => {
    fake = await startFakeWeChat({}, { words: { bad: "risky" } });
  });
  afterAll(() => fake.close());
  afterEach(() => {
    fake.heal("stable_token");
    fake.heal("msg_sec_check");
    fake.revokeToken();
  });

  it("fetches stable_token once for many concurrent callers and keeps it", async () => {
    const { service, registry } = credentials(fake);
    const before = fake.count("stable_token");
    const tokens = await Promise.all(Array.from({ length: 20 }, () => service.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(await service.accessToken()).toBe(tokens[0]);
    expect(fake.count("stable_token") - before).toBe(1);
    const body = fake.log.filter((call) => call.api === "stable_token").at(-1)?.body;
    expect(body).toEqual({ grant_type: "client_credential", appid: "wxapp", secret: "appsecret" });
    expect(await counterValue(registry, "mpchat_wechat_token_fetches_total", { result: "ok" })).toBe(1);
  });

  it("refreshes before expiry", async () => {
    let clock = 1_000_000;
    const { service } = credentials(fake, { now: () => clock });
    const before = fake.count("stable_token");
    await service.accessToken();
    clock += 7200_000 - 6 * 60_000; // more than 5 minutes left: kept
    await service.accessToken();
    expect(fake.count("stable_token") - before).toBe(1);
    clock += 2 * 60_000; // 4 minutes left: fetched again
    await service.accessToken();
    expect(fake.count("stable_token") - before).toBe(2);
  });

  it("refreshes once on 40001 and retries the call with the new token", async () => {
    const { service, registry } = credentials(fake);
    const first = await service.accessToken();
    fake.revokeToken();
    const before = fake.count("stable_token");
    const answer = await service.post("/wxa/msg_sec_check", check);
    expect(answer).toMatchObject({ errcode: 0, result: { suggest: "pass" } });
    expect(fake.count("stable_token") - before).toBe(1);
    const checks = fake.log.filter((call) => call.api === "msg_sec_check").slice(-2);
    expect(checks.map((call) => call.accessToken)).toEqual([first, fake.currentToken]);
    expect(fake.currentToken).not.toBe(first);
    expect(await counterValue(registry, "mpchat_wechat_token_fetches_total", { reason: "invalid" })).toBe(1);
  });

  it("forces a refresh when normal mode hands back the refused token, and gives up after one retry", async () => {
    const { service } = credentials(fake);
    await service.accessToken();
    const before = fake.count("stable_token");
    fake.fail("msg_sec_check", { errcode: 40001 });
    await expect(service.post("/wxa/msg_sec_check", check)).rejects.toMatchObject({ errcode: 40001 });
    // normal mode returned the same token, so force_refresh; then no third try of the call
    const fetches = fake.log.filter((call) => call.api === "stable_token").slice(before);
    expect(fetches.map((call) => call.body.force_refresh ?? false)).toEqual([false, true]);
    expect(fake.log.filter((call) => call.api === "msg_sec_check").length).toBeGreaterThanOrEqual(2);
  });

  it("turns every way stable_token fails into an error that says WeChat is unavailable", async () => {
    const failures = [{ errcode: -1 }, { errcode: 40125 }, { status: 500 }, "hang"] as const;
    for (const failure of failures) {
      const { service, registry } = credentials(fake, { timeoutMs: 300 });
      fake.fail("stable_token", failure);
      const error: unknown = await service.accessToken().catch((caught: unknown) => caught);
      expect(error, JSON.stringify(failure)).toBeInstanceOf(WeChatUnavailableError);
      if (typeof failure === "object" && "errcode" in failure) {
        expect(error).toBeInstanceOf(WeChatCallError);
        expect((error as WeChatCallError).errcode).toBe(failure.errcode);
      }
      expect(await counterValue(registry, "mpchat_wechat_token_fetches_total", { result: "failed" })).toBe(1);
      fake.heal("stable_token");
      // and it recovers at once when WeChat does
      expect(await service.accessToken()).toMatch(/^token-/);
    }
  });

  it("reports a call's errcode and keeps the token", async () => {
    const { service, registry } = credentials(fake);
    await service.accessToken();
    const before = fake.count("stable_token");
    fake.fail("msg_sec_check", { errcode: 40003 }, 1);
    await expect(service.post("/wxa/msg_sec_check", check)).rejects.toMatchObject({ errcode: 40003 });
    expect(fake.count("stable_token")).toBe(before);
    expect(await counterValue(registry, "mpchat_wechat_calls_total", { result: "errcode" })).toBe(1);
  });
});

describe.skipIf(!REDIS_URL)(
  suiteTitle("WeChatCredentials shared through Redis", REDIS_URL ? "" : "skipped: REDIS_URL not set"),
  () => {
    let fake: FakeWeChat;
    const connections: Redis[] = [];
    const prefix = `mpchat-test-${randomBytes(4).toString("hex")}:`;
    const instance = async () => {
      const redis = new Redis(REDIS_URL ?? "", { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      connections.push(redis);
      const coordinator = new RedisTokenCoordinator({
        redis,
        prefix,
        now: Date.now,
        lockMs: 5000,
        waitMs: 5000,
        log: quiet,
      });
      return credentials(fake, { coordinator }).service;
    };
    beforeAll(async () => {
      fake = await startFakeWeChat();
    });
    afterAll(async () => {
      await connections[0]?.del(`${prefix}wechat:access_token`, `${prefix}wechat:access_token:lock`);
      await Promise.all(connections.map((redis) => redis.quit()));
      await fake.close();
    });

    it("one token for three instances: one stable_token fetch however many ask at once", async () => {
      const instances = await Promise.all([instance(), instance(), instance()]);
      const tokens = await Promise.all(
        instances.flatMap((service) => Array.from({ length: 5 }, () => service.accessToken())),
      );
      expect(new Set(tokens).size).toBe(1);
      expect(fake.count("stable_token")).toBe(1);
      // a fourth instance started later reads it from Redis
      const late = await instance();
      expect(await late.accessToken()).toBe(tokens[0]);
      expect(fake.count("stable_token")).toBe(1);
    });

    it("after a 40001 on one instance, the others take the refreshed token from Redis", async () => {
      const [a, b, c] = await Promise.all([instance(), instance(), instance()]);
      if (!a || !b || !c) throw new Error("instances");
      const old = await a.accessToken();
      await Promise.all([b.accessToken(), c.accessToken()]);
      fake.revokeToken();
      const before = fake.count("stable_token");
      // all three meet the refusal at once; one of them refreshes
      await Promise.all([a, b, c].map((service) => service.post("/wxa/msg_sec_check", check)));
      expect(fake.count("stable_token") - before).toBe(1);
      const fresh = fake.currentToken;
      expect(fresh).not.toBe(old);
      expect(await Promise.all([a, b, c].map((service) => service.accessToken()))).toEqual([fresh, fresh, fresh]);
    });
  },
);
