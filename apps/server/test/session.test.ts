import { CloseCode } from "@mpchat/protocol";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devLogin, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/** A session's whole life on one instance (the cluster's side is in cluster/session-cluster.test.ts). */

interface Login {
  token: string;
  expiresAt: number;
}

const sessionOf = (token: string) => decodeJwt(token).sid;

async function refresh(server: TestServer, token: string): Promise<Login> {
  const answer = await rawRequest(server, "POST", "/v1/auth/refresh", { token, body: {} });
  expect(answer.status).toBe(200);
  return answer.body as Login;
}

async function openWith(server: TestServer, token: string): Promise<TestClient> {
  const client = await TestClient.open(server);
  const ready = await client.request({ type: "auth", token });
  expect(ready).toMatchObject({ type: "ready" });
  return client;
}

describe("sessions: login, refresh, logout", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it("gives every login its own session and token, with its expiry in the answer", async () => {
    const first = await devLogin(server, "twice-in");
    const second = await devLogin(server, "twice-in");
    expect(first.token).not.toBe(second.token);
    expect(sessionOf(first.token)).not.toBe(sessionOf(second.token));
    expect(decodeJwt(first.token).jti).not.toBe(decodeJwt(second.token).jti);
    expect(first.expiresAt).toBe(Math.round((decodeJwt(first.token).exp ?? 0) * 1000));
    expect(first.expiresAt).toBeGreaterThan(Date.now());
  });

  it("refresh gives a new token of the same session with a later expiry; both work", async () => {
    const login = await devLogin(server, "refresher");
    const refreshed = await refresh(server, login.token);
    expect(refreshed.token).not.toBe(login.token);
    expect(sessionOf(refreshed.token)).toBe(sessionOf(login.token));
    expect(refreshed.expiresAt).toBeGreaterThan(login.expiresAt ?? 0);
    for (const token of [login.token, refreshed.token]) {
      expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(200);
    }
  });

  it("logout of a refreshed token ends the session: every token of it is refused over HTTP and ws, its sockets close 4401", async () => {
    const login = await devLogin(server, "leaver");
    const other = await devLogin(server, "leaver"); // another session (another device) of the same user
    const refreshed = await refresh(server, login.token);
    const oldSocket = await openWith(server, login.token);
    const otherSocket = await openWith(server, other.token);

    const answer = await rawRequest(server, "POST", "/v1/auth/logout", { token: refreshed.token });
    expect(answer.status).toBe(204);
    expect(answer.body).toBeUndefined();

    expect(await oldSocket.closed).toMatchObject({ code: CloseCode.Unauthorized });
    for (const token of [login.token, refreshed.token]) {
      expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(401);
      expect((await rawRequest(server, "POST", "/v1/auth/refresh", { token })).status).toBe(401);
      expect((await rawRequest(server, "POST", "/v1/auth/logout", { token })).status).toBe(401);
      const socket = await TestClient.open(server);
      socket.sendRaw(JSON.stringify({ type: "auth", id: "a1", token }));
      expect(await socket.closed).toMatchObject({ code: CloseCode.Unauthorized });
      expect(socket.frames).toEqual([{ type: "error", id: "a1", code: "unauthorized", message: expect.any(String) }]);
    }
    // The user's other session is untouched; logging in again works at once.
    expect((await otherSocket.request({ type: "ping" })).type).toBe("pong");
    expect((await rawRequest(server, "GET", "/v1/me", { token: other.token })).status).toBe(200);
    const again = await devLogin(server, "leaver");
    expect((await rawRequest(server, "GET", "/v1/me", { token: again.token })).status).toBe(200);
    await otherSocket.close();
  });

  it("takes an empty body or {} for logout and refresh", async () => {
    for (const path of ["/v1/auth/refresh", "/v1/auth/logout"]) {
      for (const options of [{}, { body: {} }]) {
        const { token } = await devLogin(server, "empty-body");
        const answer = await rawRequest(server, "POST", path, { token, ...options });
        expect(answer.status).toBe(path.endsWith("logout") ? 204 : 200);
      }
    }
  });

  it.each([
    ["an object with a field", { body: { all: true } }],
    ["an array", { body: [] }],
    ["a string", { body: "bye" }],
    ["a number", { body: 1 }],
    ["not JSON", { rawBody: "{nope", headers: { "content-type": "application/json" } }],
  ])("refuses logout with %s (400) and keeps the session", async (_, options) => {
    const { token } = await devLogin(server, "bad-logout");
    const answer = await rawRequest(server, "POST", "/v1/auth/logout", { token, ...options });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: "bad_request" } });
    expect((await rawRequest(server, "GET", "/v1/me", { token })).status).toBe(200);
  });

  it.each([
    ["no header", undefined],
    ["garbage", "not-a-jwt"],
  ])("answers refresh and logout with 401 for %s", async (_, token) => {
    for (const path of ["/v1/auth/refresh", "/v1/auth/logout"]) {
      const answer = await rawRequest(server, "POST", path, token === undefined ? {} : { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: "unauthorized" } });
    }
  });
});

describe("re-auth on an open socket", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it("a fresh token of the same user is answered by ready, with the new expiry", async () => {
    const client = await TestClient.connect(server, "reauther");
    const fresh = await refresh(server, client.token);
    const ready = await client.request({ type: "auth", token: fresh.token });
    expect(ready).toMatchObject({ type: "ready", userId: "reauther", tokenExpiresAt: fresh.expiresAt });
    expect((await client.request({ type: "ping" })).type).toBe("pong");
    await client.close();
  });

  it("moves the socket to the new token's session: logout of the old one leaves it open", async () => {
    const client = await TestClient.connect(server, "mover");
    const next = await devLogin(server, "mover");
    expect(await client.request({ type: "auth", token: next.token })).toMatchObject({ type: "ready" });
    expect((await rawRequest(server, "POST", "/v1/auth/logout", { token: client.token })).status).toBe(204);
    expect((await client.request({ type: "ping" })).type).toBe("pong");
    expect((await rawRequest(server, "POST", "/v1/auth/logout", { token: next.token })).status).toBe(204);
    expect(await client.closed).toMatchObject({ code: CloseCode.Unauthorized });
  });

  it("refuses another user's token with forbidden and stays the same user's socket", async () => {
    const client = await TestClient.connect(server, "owner");
    const intruder = await devLogin(server, "intruder");
    const answer = await client.request({ type: "auth", token: intruder.token });
    expect(answer).toMatchObject({ type: "error", code: "forbidden" });
    expect((await client.request({ type: "ping" })).type).toBe("pong");
    // Still the owner's socket: the owner's logout closes it.
    expect((await rawRequest(server, "POST", "/v1/auth/logout", { token: client.token })).status).toBe(204);
    expect(await client.closed).toMatchObject({ code: CloseCode.Unauthorized });
  });

  it.each([
    ["garbage", "not-a-token"],
    ["foreign", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIiwiZXhwIjo5OTk5OTk5OTk5fQ.c2lnbmF0dXJl"],
  ])("answers a re-auth with a %s token by unauthorized and closes 4401", async (_, token) => {
    const client = await TestClient.connect(server, "bad-reauth");
    client.sendRaw(JSON.stringify({ type: "auth", id: "again", token }));
    expect(await client.closed).toMatchObject({ code: CloseCode.Unauthorized });
    expect(client.frames.at(-1)).toMatchObject({ type: "error", id: "again", code: "unauthorized" });
  });
});

describe("token expiry on an open socket (TOKEN_TTL_SECONDS=2)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { tokenTtlSeconds: 2 } });
  });
  afterAll(async () => server?.close());

  it("closes a socket 4401 when its token expires, unless it re-authed before", async () => {
    const { token, expiresAt } = await devLogin(server, "short-lived");
    const login = { token, expiresAt: expiresAt ?? 0 };
    const idle = await openWith(server, login.token);
    const renewing = await openWith(server, login.token);
    // Re-auth at half the token's life, as the client library does.
    const renewed = await new Promise<Login>((resolve, reject) => {
      setTimeout(() => refresh(server, login.token).then(resolve, reject), (login.expiresAt - Date.now()) / 2);
    });
    expect(renewed.expiresAt).toBeGreaterThan(login.expiresAt);
    expect(await renewing.request({ type: "auth", token: renewed.token })).toMatchObject({ type: "ready" });

    expect(await idle.closed).toEqual({ code: CloseCode.Unauthorized, reason: "token expired" });
    // Past the first token's expiry the re-authed socket still serves…
    expect((await renewing.request({ type: "ping" })).type).toBe("pong");
    // …until its own new token expires.
    expect(await renewing.closed).toEqual({ code: CloseCode.Unauthorized, reason: "token expired" });
    expect((await rawRequest(server, "GET", "/v1/me", { token: renewed.token })).status).toBe(401);
  });
});
