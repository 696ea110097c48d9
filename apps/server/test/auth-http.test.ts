import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "../src/auth/tokens";
import { loadConfig } from "../src/config";
import { api, devLogin, rawRequest } from "./support/api";
import { type FakeWeChat, startFakeWeChat } from "./support/fake-wechat";
import { startTestServer, type TestServer } from "./support/server";

describe("dev login", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it("logs in as any valid user id and the token works on /v1/me", async () => {
    const { token, user } = await devLogin(server, "dev_user-1", "Dev User");
    expect(user).toEqual({ id: "dev_user-1", name: "Dev User" });
    expect(await api(server, token).me()).toEqual(user);
  });

  it.each([{ userId: "" }, { userId: "has space" }, { userId: "x".repeat(65) }, { name: "no id" }, {}])(
    "refuses %j with 400 bad_request",
    async (body) => {
      const answer = await rawRequest(server, "POST", "/v1/auth/dev", { body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "bad_request" } });
    },
  );

  it.each(["wx_oGZUI0egBJY1zhBYw2KhdUfwVJJE", "wx_", "wx_a"])(
    "refuses dev login as the WeChat-shaped id %s (400) and stores no user",
    async (userId) => {
      const answer = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId, name: "Impostor" } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "bad_request" } });
      expect(await server.store.getUser(userId)).toBeNull();
    },
  );

  it("refuses dev login as system, the sender of moderation's recalls (400), and stores no user", async () => {
    const answer = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "system", name: "运营" } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: "bad_request", message: expect.stringContaining("reserved") } });
    expect(await server.store.getUser("system")).toBeNull();
  });

  it("still logs in ids that only look alike (ids are case-sensitive)", async () => {
    expect((await devLogin(server, "WX_upper")).user.id).toBe("WX_upper");
    expect((await devLogin(server, "wxa")).user.id).toBe("wxa");
    expect((await devLogin(server, "System")).user.id).toBe("System");
  });

  it.each([
    ["no header", undefined],
    ["garbage", "Bearer not-a-jwt"],
    ["another secret", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIiwiZXhwIjo5OTk5OTk5OTk5fQ.c2lnbmF0dXJl"],
  ])("answers /v1/me with 401 for %s", async (_, authorization) => {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const answer = await rawRequest(server, "GET", "/v1/me", { headers });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("refuses an expired token with 401", async () => {
    await devLogin(server, "old");
    // Of a session that lives, so that only the expiry refuses it.
    await server.store.createSession({ id: "old-session-0000000001", userId: "old", createdAt: Date.now() });
    const tokens = new TokenService(server.config.tokenSecret, 60, () => Date.now() - 3_600_000);
    const { token: expired } = await tokens.issue("old", "old-session-0000000001");
    const answer = await rawRequest(server, "GET", "/v1/me", { token: expired });
    expect(answer.status).toBe(401);
  });
});

describe("dev login off", () => {
  it("does not exist with NODE_ENV=production (DEV_LOGIN=auto), and exists with DEV_LOGIN=on", async () => {
    for (const [devLoginVar, expected] of [
      ["auto", 404],
      ["on", 200],
    ] as const) {
      const env = { DATA_DIR: tmpdir(), NODE_ENV: "production", TOKEN_SECRET: "p".repeat(32), DEV_LOGIN: devLoginVar };
      const server = await startTestServer({ config: { devLogin: loadConfig(env).devLogin } });
      try {
        const answer = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "alice" } });
        expect(answer.status).toBe(expected);
      } finally {
        await server.close();
      }
    }
  });

  it("does not exist when DEV_LOGIN resolves to off", async () => {
    const server = await startTestServer({ config: { devLogin: false } });
    try {
      const answer = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "alice" } });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ error: { code: "not_found" } });
    } finally {
      await server.close();
    }
  });
});

describe("WeChat login against a fake code2Session", () => {
  const SESSION_KEY = "tiHTfgIwQbHLSiY7hvs1rA==";
  let wechat: FakeWeChat;
  let server: TestServer;
  beforeAll(async () => {
    wechat = await startFakeWeChat({
      good: { openid: "oGZUI0egBJY1zhBYw2KhdUfwVJJE", session_key: SESSION_KEY },
      invalid: { errcode: 40029, errmsg: "invalid code" },
      used: { errcode: 40163, errmsg: "code been used" },
    });
    // Through loadConfig, so that dev login is off by the DEV_LOGIN=auto rule, not by hand.
    const fromEnv = loadConfig({
      DATA_DIR: tmpdir(),
      TOKEN_SECRET: "t".repeat(32),
      WECHAT_APPID: "wx-test-app",
      WECHAT_SECRET: "wx-test-secret",
      WECHAT_API_BASE: wechat.baseUrl,
      WECHAT_TIMEOUT_MS: "500",
    });
    const { wechat: credentials, wechatApiBase, wechatTimeoutMs, devLogin } = fromEnv;
    server = await startTestServer({ config: { wechat: credentials, wechatApiBase, wechatTimeoutMs, devLogin } });
  });
  afterAll(async () => {
    await server?.close();
    await wechat?.close();
  });

  it("logs in as wx_<openid>, calls WeChat with the app's credentials, and never returns session_key", async () => {
    const answer = await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code: "good" } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user: { id: "wx_oGZUI0egBJY1zhBYw2KhdUfwVJJE" } });
    expect(JSON.stringify(answer.body)).not.toContain(SESSION_KEY);
    expect(Object.fromEntries(wechat.calls.at(-1) ?? [])).toEqual({
      appid: "wx-test-app",
      secret: "wx-test-secret",
      js_code: "good",
      grant_type: "authorization_code",
    });
    const { token } = answer.body as { token: string };
    const me = await rawRequest(server, "GET", "/v1/me", { token });
    expect(me.body).toEqual({ user: { id: "wx_oGZUI0egBJY1zhBYw2KhdUfwVJJE", name: expect.any(String) } });
    expect(JSON.stringify(me.body)).not.toContain(SESSION_KEY);
  });

  it.each([
    ["invalid", 40029],
    ["used", 40163],
  ])("maps WeChat's refusal of code %s to 401 with errcode %i", async (code, errcode) => {
    const answer = await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code } });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: "unauthorized", wechatErrcode: errcode } });
  });

  it("answers 503 unavailable when WeChat does not answer in time", async () => {
    const answer = await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code: "silent" } });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ error: { code: "unavailable" } });
  });

  it("has dev login off because WeChat is configured", async () => {
    const answer = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "mallory" } });
    expect(answer.status).toBe(404);
  });
});
