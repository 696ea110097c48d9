import type { Message } from "@mpchat/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryStorage } from "../src/adapters/storages";
import { Connection } from "../src/connection";
import { SendFailedError } from "../src/errors";
import type { ChatEmit, ChatEvents } from "../src/events";
import type { KeyValueStorage } from "../src/ports/storage";
import { systemTimers } from "../src/ports/timers";
import { SendTracker } from "../src/send-tracker";
import { FakeServer } from "./support/fake-server";
import { flush } from "./support/flush";

/** A SendTracker for alice, with every event and delivery recorded, over real Connections to a FakeServer. */
function tracked(server: FakeServer, storage: KeyValueStorage = memoryStorage()) {
  const seen = {
    delivered: [] as Message[],
    sent: [] as ChatEvents["sent"][],
    sendFailed: [] as ChatEvents["sendFailed"][],
    outbox: [] as ChatEvents["outbox"][],
  };
  const emit: ChatEmit = (event, payload) => {
    if (event === "sent") seen.sent.push(payload as ChatEvents["sent"]);
    if (event === "sendFailed") seen.sendFailed.push(payload as ChatEvents["sendFailed"]);
    if (event === "outbox") seen.outbox.push(payload as ChatEvents["outbox"]);
  };
  const tracker = new SendTracker({
    storage,
    storageKey: "outbox",
    timers: systemTimers,
    now: () => Date.now(),
    random: () => 0.5,
    backoff: { baseMs: 100, maxMs: 1000 },
    maxSendsInFlight: 16,
    userId: () => "alice",
    deliver: (message) => seen.delivered.push(message),
    emit,
  });
  /** Open an authenticated connection and hand it to the tracker (and take it back when it closes). */
  const goOnline = async () => {
    const connection: Connection = new Connection(
      {
        transport: server.transport(),
        url: "ws://fake",
        token: "t-alice",
        timers: systemTimers,
        requestTimeoutMs: 5000,
        connectTimeoutMs: 5000,
      },
      {
        onReady: () => tracker.online(connection),
        onPush: () => undefined,
        onClosed: () => tracker.offline(),
      },
    );
    connection.start();
    await flush();
    return connection;
  };
  return { tracker, seen, goOnline };
}

/** How a `done` settled so far: a test can look without awaiting it. */
function watch(done: Promise<Message>) {
  const state: { value?: Message; error?: unknown; settled: number } = { settled: 0 };
  done.then(
    (value) => {
      state.value = value;
      state.settled += 1;
    },
    (error: unknown) => {
      state.error = error;
      state.settled += 1;
    },
  );
  return state;
}

const sentIds = (server: FakeServer) => server.sockets.flatMap((s) => s.sentOfType("send")).map((f) => f.clientMsgId);

describe("SendTracker: the life of a send", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("pending → acked: in storage first, then delivered before done resolves, then `sent`; the entry is gone", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const storage = memoryStorage();
    const { tracker, seen, goOnline } = tracked(server, storage);
    await goOnline();
    const handle = tracker.send(group.id, "hello");
    // Written before any frame could leave.
    expect(JSON.parse(storage.get("outbox") as string)).toMatchObject([
      { clientMsgId: handle.clientMsgId, status: "pending", attempts: 0 },
    ]);
    expect(tracker.entries().map((e) => e.status)).toEqual(["pending"]);
    let deliveredWhenResolved = -1;
    const done = watch(
      handle.done.then((m) => {
        deliveredWhenResolved = seen.delivered.length;
        return m;
      }),
    );
    await flush();
    expect(done.settled).toBe(1);
    expect(done.value).toMatchObject({ seq: 1, senderId: "alice", clientMsgId: handle.clientMsgId });
    expect(deliveredWhenResolved).toBe(1);
    expect(seen.delivered.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(seen.sent.map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(tracker.entries()).toEqual([]);
    expect(seen.outbox.at(-1)).toEqual([]);
    expect(storage.get("outbox")).toBeUndefined();
  });

  it("pending → failed for good (forbidden): done rejects once, the entry stays failed, nothing is resent", async () => {
    const server = new FakeServer();
    const theirs = server.createGroup(["bob", "carol"]);
    const { tracker, seen, goOnline } = tracked(server);
    await goOnline();
    const handle = tracker.send(theirs.id, "let me in");
    const done = watch(handle.done);
    await flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(done.settled).toBe(1);
    expect(done.error).toBeInstanceOf(SendFailedError);
    expect(done.error).toMatchObject({ code: "forbidden", clientMsgId: handle.clientMsgId, conversationId: theirs.id });
    expect(tracker.entries()).toMatchObject([
      { clientMsgId: handle.clientMsgId, status: "failed", error: { code: "forbidden" } },
    ]);
    expect(seen.sendFailed.map((e) => [e.entry.status, e.error.code])).toEqual([["failed", "forbidden"]]);
    expect(sentIds(server)).toEqual([handle.clientMsgId]);
    expect(seen.delivered).toEqual([]);
  });

  it("retryable errors (unavailable, rate_limited, internal below its limit) keep it pending and resend the same clientMsgId", async () => {
    for (const code of ["unavailable", "rate_limited", "internal"]) {
      const server = new FakeServer();
      const group = server.createGroup(["alice", "bob"]);
      const { tracker, seen, goOnline } = tracked(server);
      await goOnline();
      server.sendErrors = { code, times: 2 };
      const handle = tracker.send(group.id, `through ${code}`);
      const done = watch(handle.done);
      await flush();
      expect(done.settled).toBe(0);
      expect(tracker.entries()).toMatchObject([{ status: "pending", error: { code } }]);
      await vi.advanceTimersByTimeAsync(5000);
      await flush();
      expect(done.settled).toBe(1);
      expect(done.value?.clientMsgId).toBe(handle.clientMsgId);
      expect(sentIds(server)).toEqual([handle.clientMsgId, handle.clientMsgId, handle.clientMsgId]);
      expect(server.messages(group.id)).toHaveLength(1);
      expect(seen.sendFailed).toEqual([]);
      expect(tracker.entries()).toEqual([]);
    }
  });

  it("`internal` is given up after 5 attempts: then it is final", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { tracker, seen, goOnline } = tracked(server);
    await goOnline();
    server.sendErrors = { code: "internal", times: 100 };
    const handle = tracker.send(group.id, "poison");
    const done = watch(handle.done);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(done.error).toMatchObject({ code: "internal" });
    expect(sentIds(server)).toHaveLength(5);
    expect(seen.sendFailed).toHaveLength(1);
    expect(tracker.entries()).toMatchObject([{ status: "failed", attempts: 5 }]);
  });

  it("network trouble never settles done: a send cut with its connection is resent on the next one", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { tracker, goOnline } = tracked(server);
    await goOnline();
    server.frameFilter = (socket, frame) => {
      if (frame.type !== "send") return "default";
      socket.serverClose(1006, "cut");
      return "drop";
    };
    const handle = tracker.send(group.id, "across the cut");
    const done = watch(handle.done);
    await flush();
    expect(done.settled).toBe(0);
    expect(tracker.entries()).toMatchObject([{ status: "pending" }]);
    server.frameFilter = () => "default";
    await goOnline();
    expect(done.settled).toBe(1);
    expect(sentIds(server)).toEqual([handle.clientMsgId, handle.clientMsgId]);
  });

  it("failed → retry(): pending again with the same clientMsgId and attempts from 0, and a new done that resolves", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["bob"]);
    const { tracker, seen, goOnline } = tracked(server);
    await goOnline();
    const handle = tracker.send(group.id, "let me in");
    const first = watch(handle.done);
    await flush();
    expect(first.error).toMatchObject({ code: "forbidden" });
    server.conversations.get(group.id)?.memberIds.push("alice");
    const again = tracker.retry(handle.clientMsgId);
    expect(again?.clientMsgId).toBe(handle.clientMsgId);
    // Already on the wire (online): its first attempt since the retry, not its second.
    expect(tracker.entries()).toMatchObject([{ status: "pending", attempts: 1 }]);
    expect(tracker.entries()[0]?.error).toBeUndefined();
    const second = watch(again?.done ?? Promise.reject(new Error("no handle")));
    await flush();
    expect(second.value).toMatchObject({ clientMsgId: handle.clientMsgId, seq: 1 });
    expect(first.settled).toBe(1);
    expect(sentIds(server)).toEqual([handle.clientMsgId, handle.clientMsgId]);
    expect(seen.sent.map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(tracker.entries()).toEqual([]);
  });

  it("retry() refuses what is not a failed entry, and a text the server would refuse again", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { tracker, seen } = tracked(server);
    const pending = tracker.send(group.id, "offline, pending");
    const empty = tracker.send(group.id, "");
    const tooLong = tracker.send(group.id, "字".repeat(4001));
    const refusals = [watch(empty.done), watch(tooLong.done)];
    await flush();
    expect(refusals.map((r) => (r.error as SendFailedError).code)).toEqual(["bad_request", "too_large"]);
    expect(seen.sendFailed.map((e) => e.error.code)).toEqual(["bad_request", "too_large"]);
    for (const id of [pending.clientMsgId, empty.clientMsgId, tooLong.clientMsgId, "unknown"]) {
      expect(tracker.retry(id)).toBeUndefined();
    }
    expect(tracker.entries().map((e) => e.status)).toEqual(["pending", "failed", "failed"]);
  });

  it("discard(): a pending entry's done rejects with `closed`, it is never sent; a failed one goes quietly", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { tracker, seen, goOnline } = tracked(server);
    const pending = tracker.send(group.id, "never mind");
    const failed = tracker.send(group.id, "");
    const pendingDone = watch(pending.done);
    await flush();
    expect(tracker.discard(pending.clientMsgId)).toBe(true);
    expect(tracker.discard(failed.clientMsgId)).toBe(true);
    expect(tracker.discard(pending.clientMsgId)).toBe(false);
    await flush();
    expect(pendingDone.error).toMatchObject({ code: "closed", clientMsgId: pending.clientMsgId });
    expect(seen.sendFailed.map((e) => e.entry.clientMsgId)).toEqual([failed.clientMsgId]);
    expect(tracker.entries()).toEqual([]);
    expect(seen.outbox.at(-1)).toEqual([]);
    await goOnline();
    expect(sentIds(server)).toEqual([]);
  });

  it("discard() of a send in flight: done rejects at once; the late ack still fills the timeline but is no `sent`", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { tracker, seen, goOnline } = tracked(server);
    await goOnline();
    const handle = tracker.send(group.id, "too late to take back");
    const done = watch(handle.done);
    expect(tracker.discard(handle.clientMsgId)).toBe(true);
    await flush();
    expect(done.error).toMatchObject({ code: "closed" });
    expect(done.settled).toBe(1);
    expect(seen.delivered.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(seen.sent).toEqual([]);
  });

  it("an entry a previous tracker left (no waiter) is sent, acked and reported as `sent`", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const storage = memoryStorage();
    const first = tracked(server, storage);
    const handle = first.tracker.send(group.id, "left behind");
    const second = tracked(server, storage);
    expect(second.tracker.entries().map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    await second.goOnline();
    expect(second.seen.sent.map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(second.seen.delivered.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(second.tracker.entries()).toEqual([]);
  });
});
