import { CloseCode } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../src/store/errors";
import type { Store } from "../src/store/store";
import { rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

describe("store outage", () => {
  let healthy: TestServer;
  let server: TestServer;
  let down = false;

  beforeAll(async () => {
    healthy = await startTestServer();
    // The same store, except that every call fails as the adapter fails when the database is gone.
    const flaky = new Proxy(healthy.store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function" || property === "close") return value;
        return (...args: unknown[]) =>
          down ? Promise.reject(new StoreUnavailableError()) : value.apply(receiver, args);
      },
    }) as Store;
    server = await startTestServer({ deps: { store: flaky } });
  });
  afterAll(async () => {
    await server?.close();
    await healthy?.close();
  });

  it("maps StoreUnavailableError to 503 unavailable over HTTP and `unavailable` over WebSocket", async () => {
    const alice = await TestClient.connect(server, "alice");
    const group = await alice.api(server).createGroup("outage", []);
    down = true;
    try {
      const http = await rawRequest(server, "GET", "/v1/conversations", { token: alice.token });
      expect(http).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
      expect(await alice.sendText(group.id, "lost?")).toMatchObject({ type: "error", code: "unavailable" });
      expect((await rawRequest(server, "GET", "/readyz")).status).toBe(503);
    } finally {
      down = false;
    }
    // Once the database is back, the same connection works again.
    expect(await alice.sendText(group.id, "back")).toMatchObject({ type: "ack", seq: 1 });
    await alice.close();
  });

  it("does not take a session it cannot check for a refused one: 503 over HTTP, close 1013 on auth", async () => {
    const { token } = (await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "bob" } })).body as {
      token: string;
    };
    down = true;
    try {
      expect(await rawRequest(server, "GET", "/v1/me", { token })).toMatchObject({
        status: 503,
        body: { error: { code: "unavailable" } },
      });
      const socket = await TestClient.open(server);
      socket.sendRaw(JSON.stringify({ type: "auth", id: "a1", token }));
      expect((await socket.closed).code).toBe(CloseCode.TryAgainLater);
      expect(socket.frames).toEqual([{ type: "error", id: "a1", code: "unavailable", message: expect.any(String) }]);
    } finally {
      down = false;
    }
    // The same token once the database is back: the session was never refused.
    const socket = await TestClient.open(server);
    expect(await socket.request({ type: "auth", token })).toMatchObject({ type: "ready", userId: "bob" });
    await socket.close();
  });
});
