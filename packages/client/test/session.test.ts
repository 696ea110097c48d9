import { CloseCode } from "@mpchat/protocol";
import type { TestServer } from "@mpchat/server/testing";
import { describe, expect, it } from "vitest";
import type { ChatClient } from "../src/chat-client";
import type { ChatEvents } from "../src/events";
import { RestApi } from "../src/rest-api";
import { login, nodeHttp, nodeTransport, realClient, useRealServer } from "./support/real-server";
import { TapTransport } from "./support/tap-transport";

/** Resolves with the n-th event of a kind (counting from now); rejects after `timeoutMs`. */
function nth<K extends keyof ChatEvents>(client: ChatClient, event: K, n: number, timeoutMs = 30_000) {
  return new Promise<ChatEvents[K]>((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`saw ${seen} of ${n} ${event} events`));
    }, timeoutMs);
    const off = client.on(event, (payload) => {
      if (++seen < n) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves when the client is online (authenticated). */
function online(client: ChatClient, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("never online")), timeoutMs);
    const off = client.on("state", (event) => {
      if (event.state !== "online") return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

const meStatus = async (server: TestServer, token: string) =>
  (await fetch(`${server.httpUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe("ChatClient keeps its session (real server)", () => {
  const real = useRealServer();

  it("refreshes before expiry and re-auths the same socket: open past several token lifetimes", {
    timeout: 60_000,
  }, async () => {
    const server = await real.start({ config: { tokenTtlSeconds: 2 } });
    const tap = new TapTransport(nodeTransport);
    const first = await login(server, "long-stay");
    const { client } = realClient(server, first, { transport: tap });
    real.onCleanup(() => client.close());
    const connected = online(client);
    client.connect();
    await connected;
    const firstExpiry = Date.now() + 2_000;

    // Three refreshes take well past the first token's 2 s.
    const third = await nth(client, "token", 3);
    expect(third.expiresAt).toBeGreaterThan(firstExpiry);
    expect(tap.networkCloses).toEqual([]);
    expect(tap.sent("auth").length).toBeGreaterThanOrEqual(3);
    expect(client.state).toBe("online");
    // The socket still serves: a group made over HTTP with the fresh token, a message acked on the socket.
    const group = await client.createGroup("still here", []);
    expect((await client.send(group.id, "hello").done).seq).toBe(1);
    expect(tap.networkCloses).toEqual([]);
    // The refreshed tokens belong to the first token's session: all are valid until they expire.
    expect(await meStatus(server, third.token)).toBe(200);
  });

  it("logout ends the session on the server and closes without reporting unauthorized", {
    timeout: 30_000,
  }, async () => {
    const server = await real.start();
    const token = await login(server, "leaving");
    const tap = new TapTransport(nodeTransport);
    const { client } = realClient(server, token, { transport: tap });
    real.onCleanup(() => client.close());
    const unauthorized: string[] = [];
    client.on("unauthorized", (event) => unauthorized.push(event.message));
    const connected = online(client);
    client.connect();
    await connected;

    await client.logout();
    expect(client.state).toBe("offline");
    expect(await meStatus(server, token)).toBe(401);
    expect(tap.networkCloses.map((close) => close.code)).toEqual([1000]);
    expect(unauthorized).toEqual([]);
  });

  it("stops with unauthorized when its session is logged out elsewhere", { timeout: 30_000 }, async () => {
    const server = await real.start();
    const token = await login(server, "kicked");
    const tap = new TapTransport(nodeTransport);
    const { client } = realClient(server, token, { transport: tap });
    real.onCleanup(() => client.close());
    const connected = online(client);
    client.connect();
    await connected;
    const unauthorized = nth(client, "unauthorized", 1);
    await new RestApi({ httpBase: server.httpUrl, http: nodeHttp, getToken: () => token }).logout();
    await unauthorized;
    expect(tap.networkCloses.map((close) => close.code)).toEqual([CloseCode.Unauthorized]);
    expect(client.state).toBe("offline");
  });
});
