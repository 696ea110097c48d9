import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Connection } from "../src/connection";
import { ConnectionKeeper, type KeeperHooks } from "../src/connection-keeper";
import type { StateEvent } from "../src/events";
import { systemTimers } from "../src/ports/timers";
import { FakeServer } from "./support/fake-server";
import { flush } from "./support/flush";

function connect(server: FakeServer, token = "t-alice") {
  const closes: Array<{ code: number; reason: string }> = [];
  let readyCount = 0;
  const connection = new Connection(
    {
      transport: server.transport(),
      url: "ws://fake",
      token,
      timers: systemTimers,
      requestTimeoutMs: 5000,
      connectTimeoutMs: 5000,
    },
    { onReady: () => readyCount++, onPush: () => undefined, onClosed: (info) => closes.push(info) },
  );
  connection.start();
  return { connection, closes, ready: () => readyCount };
}

describe("Connection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("authenticates first, then pings every heartbeatMs", async () => {
    const server = new FakeServer();
    server.heartbeatMs = 1000;
    const { ready } = connect(server);
    await flush();
    expect(ready()).toBe(1);
    expect(server.socket.received.map((f) => f.type)).toEqual(["auth"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(server.socket.sentOfType("ping")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(server.socket.sentOfType("ping")).toHaveLength(4);
  });

  it("declares a silent link dead after two heartbeat intervals, not before", async () => {
    const server = new FakeServer();
    server.heartbeatMs = 1000;
    const { closes } = connect(server);
    await flush();
    server.socket.silent = true;
    await vi.advanceTimersByTimeAsync(1999);
    expect(closes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.reason).toBe("heartbeat timeout");
    expect(server.socket.state).toBe("closed");
  });

  it("keeps a link that answers pings alive indefinitely", async () => {
    const server = new FakeServer();
    server.heartbeatMs = 1000;
    const { closes } = connect(server);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(closes).toEqual([]);
  });

  it("gives up when the socket does not open in time", async () => {
    const server = new FakeServer();
    server.autoOpen = false;
    const { closes } = connect(server);
    await vi.advanceTimersByTimeAsync(5000);
    expect(closes[0]?.reason).toBe("open timeout");
  });

  it("fails pending requests when the socket closes", async () => {
    const server = new FakeServer();
    const { connection } = connect(server);
    await flush();
    server.frameFilter = () => "drop";
    const answer = connection.request({ type: "sync", conversationId: "c1", afterSeq: 0 }, "batch");
    const result = answer.catch((error) => error);
    server.socket.serverClose(1001, "going away");
    await flush();
    expect((await result).code).toBe("connection_lost");
  });

  it("reports 4401 when the token is refused", async () => {
    const server = new FakeServer();
    const { closes } = connect(server, "bad");
    await flush();
    expect(closes).toEqual([{ code: 4401, reason: "bad token" }]);
  });
});

function keeper(server: FakeServer, random = () => 0.5) {
  const states: StateEvent[] = [];
  const log: string[] = [];
  const pushes: unknown[] = [];
  const hooks: KeeperHooks = {
    onReady: (_c, _r, generation) => log.push(`ready ${generation}`),
    onPush: (frame) => pushes.push(frame),
    onLost: (generation) => log.push(`lost ${generation}`),
    onState: (event) => states.push(event),
    onUnauthorized: (message) => log.push(`unauthorized ${message}`),
    onTokenError: () => log.push("token error"),
  };
  const instance = new ConnectionKeeper(
    {
      transport: server.transport(),
      url: "ws://fake",
      getToken: () => "t-alice",
      timers: systemTimers,
      random,
      backoff: { baseMs: 100, maxMs: 1000 },
      requestTimeoutMs: 5000,
      connectTimeoutMs: 5000,
    },
    hooks,
  );
  return { keeper: instance, states, log, pushes };
}

describe("ConnectionKeeper", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reconnects with growing full-jitter delays while connects fail, and resets after a ready", async () => {
    const server = new FakeServer();
    const { keeper: k, states } = keeper(server);
    k.start();
    await flush();
    expect(server.sockets).toHaveLength(1);
    // The server now refuses: every new socket closes before `ready`.
    server.autoOpen = false;
    server.socket.serverClose(1006, "cut");
    await flush();
    const retries = () => states.filter((s) => s.reason === "retrying").map((s) => s.retryInMs);
    expect(retries()).toEqual([50]); // 0.5 * 100
    for (const expected of [100, 200, 400, 500, 500]) {
      await vi.advanceTimersByTimeAsync(retries().at(-1) as number);
      server.socket.serverClose(1006, "refused");
      await flush();
      expect(retries().at(-1)).toBe(expected);
    }
    // Healthy again: after a `ready`, the next failure starts from the first delay.
    server.autoOpen = true;
    await vi.advanceTimersByTimeAsync(500);
    await flush();
    expect(k.connection).not.toBeNull();
    server.socket.serverClose(1006, "cut");
    await flush();
    expect(retries().at(-1)).toBe(50);
  });

  it("ignores every callback of a socket it replaced", async () => {
    const server = new FakeServer();
    const { keeper: k, log, pushes } = keeper(server);
    k.start();
    await flush();
    const old = server.socket;
    server.heartbeatMs = 10_000;
    old.serverClose(1006, "cut");
    await flush();
    await vi.advanceTimersByTimeAsync(50);
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(log).toEqual(["ready 1", "lost 1", "ready 3"]);
    old.rawToClient(JSON.stringify({ type: "presence", userId: "bob", online: true }));
    old.serverClose(1006, "again");
    await flush();
    expect(pushes).toEqual([]);
    expect(log).toEqual(["ready 1", "lost 1", "ready 3"]);
    expect(k.connection).not.toBeNull();
  });

  it("stops for good on 4401 and does not loop", async () => {
    const server = new FakeServer();
    const { keeper: k, log, states } = keeper(server);
    k.start();
    await flush();
    server.socket.serverClose(4401, "token expired");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(log.at(-1)).toBe("unauthorized token expired");
    expect(states.at(-1)).toEqual({ state: "offline", reason: "unauthorized" });
    k.start();
    await flush();
    expect(server.sockets).toHaveLength(2);
  });

  it("suspend closes the socket and stops retrying; resume connects at once", async () => {
    const server = new FakeServer();
    const { keeper: k, states } = keeper(server);
    k.start();
    await flush();
    k.suspend();
    expect(server.socket.state).toBe("closed");
    expect(states.at(-1)).toEqual({ state: "offline", reason: "suspended" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
    k.resume();
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(k.connection).not.toBeNull();
  });

  it("resume skips a scheduled retry's wait", async () => {
    const server = new FakeServer();
    const { keeper: k } = keeper(server, () => 0.99);
    k.start();
    await flush();
    server.socket.serverClose(1006, "cut");
    await flush();
    k.resume();
    await flush();
    expect(server.sockets).toHaveLength(2);
  });
});
