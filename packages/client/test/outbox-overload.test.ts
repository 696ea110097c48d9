import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { overloadPauseMs } from "../src/backoff";
import { fakeClient } from "./support/fake-client";
import { FakeServer } from "./support/fake-server";
import { flush } from "./support/flush";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Acks the server sent, per clientMsgId. */
function acksPerMessage(server: FakeServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const socket of server.sockets) {
    for (const frame of socket.pushed) {
      if (frame.type === "ack") counts.set(frame.clientMsgId, (counts.get(frame.clientMsgId) ?? 0) + 1);
    }
  }
  return counts;
}

describe("outbox under overload (unavailable + retryAfterMs)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("pauses the whole outbox at least retryAfterMs, then sends everything, each acked exactly once", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice"]);
    const { client } = fakeClient(server, "alice", { maxSendsInFlight: 4 });
    client.connect();
    await flush();
    server.sendErrors = { code: "unavailable", times: 4, retryAfterMs: 2000 };
    const done = vi.fn();
    const handles = range(1, 10).map((i) => client.send(group.id, `#${i}`));
    for (const handle of handles) handle.done.then(done);
    await flush();
    // The window's four were sent and refused; nothing more goes out until retryAfterMs has passed.
    expect(server.socket.sentOfType("send")).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.socket.sentOfType("send")).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(30_000);
    await Promise.all(handles.map((h) => h.done));
    expect(done).toHaveBeenCalledTimes(10);
    const texts = server.messages(group.id).map((m) => (m.body.kind === "text" ? m.body.text : ""));
    expect(texts).toEqual(range(1, 10).map((i) => `#${i}`));
    const acks = acksPerMessage(server);
    expect([...acks.values()]).toEqual(Array(10).fill(1));
    expect(client.outbox()).toEqual([]);
  });

  it("waits longer with each refusal in a row, and never less than the server asked", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice"]);
    const { client } = fakeClient(server, "alice", { backoff: { baseMs: 100, maxMs: 60_000 } });
    client.connect();
    await flush();
    server.sendErrors = { code: "unavailable", times: 3, retryAfterMs: 1000 };
    const handle = client.send(group.id, "patient");
    await flush();
    const sends = () => server.socket.sentOfType("send").length;
    expect(sends()).toBe(1);
    // The n-th refusal in a row: at least 1000 · 2^(n-1) ms before the next try.
    for (const [streak, least] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ] as const) {
      await vi.advanceTimersByTimeAsync(least - 1);
      expect(sends()).toBe(streak);
      const pause = overloadPauseMs(1000, streak, () => 0.5, { baseMs: 100, maxMs: 60_000 });
      await vi.advanceTimersByTimeAsync(pause - (least - 1));
      expect(sends()).toBe(streak + 1);
    }
    const message = await handle.done;
    expect(message.clientMsgId).toBe(handle.clientMsgId);
    expect(server.socket.sentOfType("send").every((f) => f.clientMsgId === handle.clientMsgId)).toBe(true);
    expect(server.messages(group.id)).toHaveLength(1);
  });

  it("overloadPauseMs: at least the ask, doubling over a streak, capped at maxMs but never below the ask", () => {
    const options = { baseMs: 100, maxMs: 10_000 };
    const least = (streak: number, ask = 500) => overloadPauseMs(ask, streak, () => 0, options);
    expect([1, 2, 3, 4, 5, 6].map((n) => least(n))).toEqual([500, 1000, 2000, 4000, 8000, 10_000]);
    expect(least(1, 20_000)).toBe(20_000);
    expect(overloadPauseMs(500, 1, () => 0.999, options)).toBeLessThan(750);
  });
});
