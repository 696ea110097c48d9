import { CloseCode, PROTOCOL_VERSION } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devLogin } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/**
 * The version handshake (protocol 1.1, "Session"): `auth` may name a version,
 * `ready` says which one the session speaks, and a version the server does not
 * serve closes with 4426 naming those it does. This server serves 1 and 2.
 */
describe("protocol version in the handshake", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = (await devLogin(server, "versioned")).token;
  });
  afterAll(async () => server?.close());

  const authWith = async (extra: Record<string, unknown>) => {
    const client = await TestClient.open(server);
    client.sendRaw(JSON.stringify({ type: "auth", id: "a1", token, ...extra }));
    return client;
  };

  it.each([
    ["no version (a v1 client)", {}, PROTOCOL_VERSION],
    ["version 1", { protocolVersion: 1 }, 1],
    ["version 2", { protocolVersion: 2 }, 2],
  ])("answers auth with %s by ready carrying the session's version", async (_, extra, expected) => {
    const client = await authWith(extra);
    const ready = await client.waitFor((f) => f.type === "ready");
    expect(ready).toMatchObject({ type: "ready", id: "a1", userId: "versioned", protocolVersion: expected });
    expect((await client.request({ type: "ping" })).type).toBe("pong");
    await client.close();
  });

  it("keeps the version the first auth settled across a re-auth", async () => {
    const client = await authWith({ protocolVersion: 1 });
    await client.waitFor((f) => f.type === "ready" && f.id === "a1");
    client.sendRaw(JSON.stringify({ type: "auth", id: "a2", token }));
    const again = await client.waitFor((f) => f.type === "ready" && f.id === "a2");
    expect(again).toMatchObject({ type: "ready", userId: "versioned", protocolVersion: 1 });
    await client.close();
  });

  it.each([0, 3, 99, -1, 1_000_000])(
    "closes 4426, saying which versions it serves, for version %j (no ready, no error frame)",
    async (protocolVersion) => {
      const client = await authWith({ protocolVersion });
      const closed = await client.closed;
      expect(closed).toEqual({ code: CloseCode.VersionNotServed, reason: "serves protocol versions 1, 2" });
      expect(client.frames).toEqual([]);
    },
  );

  it("refuses the version before looking at the token", async () => {
    const client = await TestClient.open(server);
    client.sendRaw(JSON.stringify({ type: "auth", id: "a1", token: "not-a-token", protocolVersion: 3 }));
    expect((await client.closed).code).toBe(CloseCode.VersionNotServed);
    expect(client.frames).toEqual([]);
  });

  it.each([2.5, "2", null, true, [2], { v: 2 }])(
    "answers a protocolVersion of the wrong type (%j) with bad_request and closes 4401, as any malformed auth",
    async (protocolVersion) => {
      const client = await authWith({ protocolVersion });
      expect((await client.closed).code).toBe(CloseCode.Unauthorized);
      expect(client.frames).toEqual([
        { type: "error", id: "a1", code: "bad_request", message: expect.stringMatching(/^protocolVersion: /) },
      ]);
    },
  );

  it("keeps serving others while refusing versions", async () => {
    const steady = await TestClient.connect(server, "steady");
    const refused = await Promise.all([3, 0, 99].map((protocolVersion) => authWith({ protocolVersion })));
    for (const client of refused) expect((await client.closed).code).toBe(CloseCode.VersionNotServed);
    expect((await steady.request({ type: "ping" })).type).toBe("pong");
    await steady.close();
  });
});
