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
});
