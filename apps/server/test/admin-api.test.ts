import { CloseCode } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devLogin, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/** PROTOCOL.md "Operators": the admin API on one instance (the cluster's side is in cluster/admin-ban-cluster.test.ts). */

const ADMIN_TOKEN = "admin-token-for-tests-0123456789";

describe("admin API: off without ADMIN_TOKEN", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it("answers 404 for every admin path, with or without a token", async () => {
    await devLogin(server, "no-admin-here");
    const calls: [string, string][] = [
      ["GET", "/v1/admin/users/no-admin-here"],
      ["POST", "/v1/admin/users/no-admin-here/ban"],
      ["DELETE", "/v1/admin/users/no-admin-here/ban"],
      ["GET", "/v1/admin/audit"],
      ["GET", "/v1/admin/stats"],
      ["GET", "/v1/admin/reports?status=open"],
      ["POST", "/v1/admin/reports/some-report/resolve"],
      ["DELETE", "/v1/admin/messages/some-message"],
      ["GET", "/v1/admin/conversations/some-conversation"],
      ["GET", "/v1/admin/users/no-admin-here/conversations"],
      ["DELETE", "/v1/admin/conversations/some-conversation/members/no-admin-here"],
      ["POST", "/v1/admin/conversations/some-conversation/dissolve"],
    ];
    for (const [method, path] of calls) {
      for (const token of [undefined, ADMIN_TOKEN, ""]) {
        const answer = await rawRequest(server, method, path, {
          ...(token === undefined ? {} : { token }),
          ...(method === "POST" ? { body: { reason: "x" } } : {}),
        });
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
      }
    }
    expect(await server.store.listAudit(10)).toEqual([]);
  });
});

describe("admin API", () => {
  let server: TestServer;
  let clock = Date.now();
  const admin = (method: string, path: string, body?: unknown) =>
    rawRequest(server, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    server = await startTestServer({ config: { adminToken: ADMIN_TOKEN }, deps: { now: () => clock } });
  });
  afterAll(async () => server?.close());

  it("refuses a missing or wrong token with 401 and audits nothing", async () => {
    await devLogin(server, "target-401");
    const before = await server.store.listAudit(500);
    const { token: userToken } = await devLogin(server, "a-plain-user");
    const headers: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: "" },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
      { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` },
      { authorization: `Basic ${ADMIN_TOKEN}` },
      { authorization: ADMIN_TOKEN },
      { authorization: `Bearer ${userToken}` },
      { authorization: "Bearer " },
    ];
    for (const h of headers) {
      for (const [method, path] of [
        ["GET", "/v1/admin/users/target-401"],
        ["POST", "/v1/admin/users/target-401/ban"],
        ["GET", "/v1/admin/stats"],
      ] as const) {
        const answer = await rawRequest(server, method, path, {
          ...(h ? { headers: h } : {}),
          ...(method === "POST" ? { body: { reason: "nope" } } : {}),
        });
        expect({ h, path, status: answer.status }).toEqual({ h, path, status: 401 });
        expect(answer.body).toMatchObject({ error: { code: "unauthorized" } });
      }
    }
    expect(await server.store.getBan("target-401")).toBeNull();
    expect(await server.store.listAudit(500)).toEqual(before);
  });

  it("looks a user up with their conversations; an unknown user is 404", async () => {
    const alice = await devLogin(server, "lookup-alice", "Alice 爱丽丝");
    await devLogin(server, "lookup-bob");
    const created = await rawRequest(server, "POST", "/v1/conversations", {
      token: alice.token,
      body: { kind: "direct", peerId: "lookup-bob" },
    });
    expect(created.status).toBe(201);
    const conversationId = (created.body as { conversation: { id: string } }).conversation.id;
    const answer = await admin("GET", "/v1/admin/users/lookup-alice");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      user: { id: "lookup-alice", name: "Alice 爱丽丝" },
      conversationIds: [conversationId],
    });
    expect((await admin("GET", "/v1/admin/users/nobody-at-all")).status).toBe(404);
  });

  it("ban: closes the user's sockets with 4403, refuses their logins, tokens, refresh and new sockets; others keep chatting", async () => {
    const banned = await TestClient.connect(server, "ban-me");
    const second = await TestClient.connect(server, "ban-me");
    const bystander = await TestClient.connect(server, "not-banned");
    const token = banned.token as string;

    const answer = await admin("POST", "/v1/admin/users/ban-me/ban", { reason: "spam 垃圾广告" });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ban: { userId: "ban-me", reason: "spam 垃圾广告", createdAt: clock } });
    expect((await banned.closed).code).toBe(CloseCode.Banned);
    expect((await second.closed).code).toBe(CloseCode.Banned);

    const login = await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "ban-me" } });
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("banned") } });
    for (const [method, path] of [
      ["GET", "/v1/me"],
      ["POST", "/v1/auth/refresh"],
      ["GET", "/v1/conversations"],
    ] as const) {
      const refused = await rawRequest(server, method, path, { token, ...(method === "POST" ? { body: {} } : {}) });
      expect({ path, status: refused.status }).toEqual({ path, status: 403 });
      expect(refused.body).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("banned") } });
    }
    const socket = await TestClient.open(server);
    const refusal = await socket.request({ type: "auth", token });
    expect(refusal).toMatchObject({ type: "error", code: "forbidden" });
    expect((await socket.closed).code).toBe(CloseCode.Banned);

    expect((await bystander.request({ type: "ping" })).type).toBe("pong");
    expect((await admin("GET", "/v1/admin/users/ban-me")).body).toMatchObject({ ban: { reason: "spam 垃圾广告" } });

    expect((await admin("DELETE", "/v1/admin/users/ban-me/ban")).status).toBe(204);
    expect((await admin("DELETE", "/v1/admin/users/ban-me/ban")).status).toBe(404);
    expect((await admin("GET", "/v1/admin/users/ban-me")).body).not.toHaveProperty("ban");
    expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(200);
    const back = await TestClient.connect(server, "ban-me");
    expect((await back.request({ type: "ping" })).type).toBe("pong");
    await Promise.all([back.close(), bystander.close()]);
  });

  it("a ban with untilMs ends by itself at untilMs", async () => {
    const { token } = await devLogin(server, "ban-for-a-minute");
    const untilMs = clock + 60_000;
    const answer = await admin("POST", "/v1/admin/users/ban-for-a-minute/ban", { reason: "cool off", untilMs });
    expect(answer.body).toMatchObject({ ban: { untilMs } });
    expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(403);
    clock = untilMs - 1;
    expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(403);
    clock = untilMs;
    expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(200);
    expect((await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "ban-for-a-minute" } })).status).toBe(
      200,
    );
    expect((await admin("GET", "/v1/admin/users/ban-for-a-minute")).body).not.toHaveProperty("ban");
  });

  it("refuses bad input with 400 naming the field, stores nothing, and keeps serving", async () => {
    await devLogin(server, "bad-input-target");
    const bad: [string, string, unknown][] = [
      ["POST", "/v1/admin/users/bad-input-target/ban", {}],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "" }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "   " }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: 42 }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "x".repeat(501) }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "\ud800" }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "ok", untilMs: "tomorrow" }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "ok", untilMs: -5 }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "ok", untilMs: 1.5 }],
      ["POST", "/v1/admin/users/bad-input-target/ban", { reason: "ok", untilMs: 2 ** 60 }],
      ["POST", "/v1/admin/users/bad-input-target/ban", [] as unknown],
      ["POST", `/v1/admin/users/${"u".repeat(65)}/ban`, { reason: "ok" }],
      ["POST", "/v1/admin/users/bad%20id/ban", { reason: "ok" }],
      ["GET", "/v1/admin/users/bad%2Fid", undefined],
      ["GET", "/v1/admin/audit?limit=0", undefined],
      ["GET", "/v1/admin/audit?limit=501", undefined],
      ["GET", "/v1/admin/audit?limit=ten", undefined],
      ["GET", "/v1/admin/audit?limit=-1", undefined],
      ["GET", "/v1/admin/audit?limit=1.5", undefined],
    ];
    for (const [method, path, body] of bad) {
      const answer = await admin(method, path, body);
      expect({ path, body, status: answer.status }).toEqual({ path, body, status: 400 });
      expect(answer.body).toMatchObject({ error: { code: "bad_request" } });
    }
    const raw = await rawRequest(server, "POST", "/v1/admin/users/bad-input-target/ban", {
      token: ADMIN_TOKEN,
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(raw.status).toBe(400);
    expect(await server.store.getBan("bad-input-target")).toBeNull();
    expect((await admin("POST", "/v1/admin/users/no-such-user/ban", { reason: "ok" })).status).toBe(404);
    expect(await server.store.getBan("no-such-user")).toBeNull();
    expect((await admin("GET", "/v1/admin/users/bad-input-target")).status).toBe(200);
  });

  it("writes every call to the audit log (who, what, when, why, status), newest first; only=changes leaves out the reads", async () => {
    await devLogin(server, "audited-user");
    clock += 1_000;
    const at = clock;
    await admin("GET", "/v1/admin/users/audited-user");
    await admin("POST", "/v1/admin/users/audited-user/ban", { reason: "辱骂他人 abuse" });
    await admin("POST", "/v1/admin/users/audited-user/ban", { reason: "" });
    await admin("DELETE", "/v1/admin/users/audited-user/ban");
    const answer = await admin("GET", "/v1/admin/audit?limit=4");
    expect(answer.status).toBe(200);
    const { entries } = answer.body as { entries: unknown[] };
    expect(entries).toEqual([
      { at, actor: "127.0.0.1", action: "user.unban", target: "audited-user", status: 204 },
      { at, actor: "127.0.0.1", action: "user.ban", target: "audited-user", status: 400 },
      { at, actor: "127.0.0.1", action: "user.ban", target: "audited-user", reason: "辱骂他人 abuse", status: 200 },
      { at, actor: "127.0.0.1", action: "user.get", target: "audited-user", status: 200 },
    ]);
    // The listing itself is a call too (written as it is answered, so it shows in the next one), and so are stats.
    await admin("GET", "/v1/admin/stats");
    const next = (await admin("GET", "/v1/admin/audit?limit=2")).body as { entries: unknown[] };
    expect(next.entries).toEqual([
      { at, actor: "127.0.0.1", action: "stats.get", status: 200 },
      { at, actor: "127.0.0.1", action: "audit.list", status: 200 },
    ]);
    // only=changes: the console's view, without the lookups, lists and stats in between.
    const changes = (await admin("GET", "/v1/admin/audit?limit=3&only=changes")).body as { entries: unknown[] };
    expect(changes.entries).toEqual([
      { at, actor: "127.0.0.1", action: "user.unban", target: "audited-user", status: 204 },
      { at, actor: "127.0.0.1", action: "user.ban", target: "audited-user", status: 400 },
      { at, actor: "127.0.0.1", action: "user.ban", target: "audited-user", reason: "辱骂他人 abuse", status: 200 },
    ]);
    expect((await admin("GET", "/v1/admin/audit?only=reads")).status).toBe(400);
  });

  it("stats: connections, messages per second and ack p99 since the previous call, store and bus up", async () => {
    await admin("GET", "/v1/admin/stats");
    const alice = await TestClient.connect(server, "stats-alice");
    await devLogin(server, "stats-bob");
    const created = await rawRequest(server, "POST", "/v1/conversations", {
      token: alice.token as string,
      body: { kind: "direct", peerId: "stats-bob" },
    });
    const conversationId = (created.body as { conversation: { id: string } }).conversation.id;
    for (let i = 0; i < 10; i++) {
      const ack = await alice.request({
        type: "send",
        conversationId,
        clientMsgId: `s${i}`,
        body: { kind: "text", text: `${i}` },
      });
      expect(ack.type).toBe("ack");
    }
    clock += 2_000;
    const answer = await admin("GET", "/v1/admin/stats");
    expect(answer.status).toBe(200);
    const stats = answer.body as Record<string, unknown>;
    expect(stats).toMatchObject({ connections: 1, messagesPerSecond: 5, store: "up", bus: "up", at: clock });
    expect(stats.ackP99Ms).toBeGreaterThan(0);
    clock += 1_000;
    expect((await admin("GET", "/v1/admin/stats")).body).toMatchObject({ messagesPerSecond: 0, ackP99Ms: 0 });
    await alice.close();
  });
});
