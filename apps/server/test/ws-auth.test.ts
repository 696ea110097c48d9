import { CloseCode } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenService } from "../src/auth/tokens";
import { devLogin } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

describe("WebSocket authentication", () => {
  let server: TestServer;
  beforeAll(async () => {
    // A short auth window keeps the timeout test quick; the default is 5 s.
    server = await startTestServer({ config: { gateway: { authTimeoutMs: 500 } } });
  });
  afterAll(async () => server?.close());

  it("closes 4408 (a timeout, not a refusal) when no auth arrives in time", async () => {
    const client = await TestClient.open(server);
    expect((await client.closed).code).toBe(CloseCode.AuthTimeout);
    expect(CloseCode.AuthTimeout).not.toBe(CloseCode.Unauthorized);
  });

  it("answers a bad token with error unauthorized (with the id) and closes 4401", async () => {
    const client = await TestClient.open(server);
    client.sendRaw(JSON.stringify({ type: "auth", id: "a1", token: "not-a-token" }));
    const closed = await client.closed;
    expect(closed.code).toBe(CloseCode.Unauthorized);
    expect(client.frames).toEqual([{ type: "error", id: "a1", code: "unauthorized", message: expect.any(String) }]);
  });

  it("closes 4401 for an expired token", async () => {
    await devLogin(server, "expired");
    // Of a session that lives, so that only the expiry refuses it.
    await server.store.createSession({ id: "expired-session-000001", userId: "expired", createdAt: Date.now() });
    const tokens = new TokenService(server.config.tokenSecret, 60, () => Date.now() - 3_600_000);
    const { token } = await tokens.issue("expired", "expired-session-000001");
    const client = await TestClient.open(server);
    client.sendRaw(JSON.stringify({ type: "auth", id: "a1", token }));
    expect((await client.closed).code).toBe(CloseCode.Unauthorized);
  });

  it.each([
    ["a ping", JSON.stringify({ type: "ping", id: "p1" }), "unauthorized"],
    [
      "a send",
      JSON.stringify({ type: "send", id: "s1", conversationId: "c", clientMsgId: "m", body: {} }),
      "bad_request",
    ],
    ["not JSON", "{nope", "bad_request"],
  ])("closes 4401 when the first frame is %s", async (_, frame, code) => {
    const client = await TestClient.open(server);
    client.sendRaw(frame);
    expect((await client.closed).code).toBe(CloseCode.Unauthorized);
    expect(client.frames[0]).toMatchObject({ type: "error", code });
  });

  it("handles frames sent right behind auth, after ready, in order", async () => {
    const { token } = await devLogin(server, "pipeliner");
    const client = await TestClient.open(server);
    client.sendRaw(JSON.stringify({ type: "auth", id: "a", token }));
    client.sendRaw(JSON.stringify({ type: "ping", id: "p1" }));
    client.sendRaw(JSON.stringify({ type: "ping", id: "p2" }));
    await client.waitFor((f) => f.type === "pong" && f.id === "p2");
    expect(client.frames.map((f) => f.type)).toEqual(["ready", "pong", "pong"]);
    await client.close();
  });

  it("answers a second auth with the same token by ready again and keeps the connection", async () => {
    const client = await TestClient.connect(server, "twice");
    const answer = await client.request({ type: "auth", token: client.token });
    expect(answer).toMatchObject({ type: "ready", userId: "twice", tokenExpiresAt: expect.any(Number) });
    expect((await client.request({ type: "ping" })).type).toBe("pong");
    await client.close();
  });
});
