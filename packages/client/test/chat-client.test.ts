import type { Message } from "@mpchat/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryStorage } from "../src/adapters/storages";
import { SendFailedError } from "../src/errors";
import { fakeClient, seqsOf } from "./support/fake-client";
import { FakeServer } from "./support/fake-server";
import { flush } from "./support/flush";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("ChatClient (fake server)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resumes after connect: lists conversations and syncs each to the end, in pages", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    for (let i = 0; i < 250; i++) server.store(group.id, "bob", `m${i}`);
    const { client, events } = fakeClient(server, "alice", { syncPageSize: 100 });
    client.connect();
    await flush();
    expect(seqsOf(client.messages(group.id))).toEqual(range(1, 250));
    expect(seqsOf(events.message)).toEqual(range(1, 250));
    expect(server.socket.sentOfType("sync").map((f) => f.afterSeq)).toEqual([0, 100, 200]);
    expect(events.recovered).toEqual([{ conversationId: group.id, fromSeq: 1, toSeq: 250, count: 250 }]);
    expect(client.conversation(group.id)?.unread).toBe(250);
  });

  it("starts a first-seen conversation initialHistory messages back; loadOlder pages further", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    for (let i = 0; i < 30; i++) server.store(group.id, "bob", `m${i}`);
    const { client } = fakeClient(server, "alice", { initialHistory: 10 });
    client.connect();
    await flush();
    expect(seqsOf(client.messages(group.id))).toEqual(range(21, 30));
    expect(client.hasOlder(group.id)).toBe(true);
    const older = client.loadOlder(group.id, 15);
    await flush();
    expect(seqsOf(await older)).toEqual(range(6, 20));
    expect(seqsOf(client.messages(group.id))).toEqual(range(6, 30));
  });

  it("send resolves once with the stored message; the push after the ack is not delivered twice", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    const handle = client.send(group.id, "hello 😀");
    const done = vi.fn();
    handle.done.then(done);
    await flush();
    expect(done).toHaveBeenCalledTimes(1);
    const message = done.mock.calls[0]?.[0] as Message;
    expect(message).toMatchObject({
      seq: 1,
      senderId: "alice",
      clientMsgId: handle.clientMsgId,
      body: { text: "hello 😀" },
    });
    expect(events.message).toHaveLength(1);
    expect(client.outbox()).toEqual([]);
  });

  it("writes the outbox before the network, and a rebuilt client on the same storage delivers it once", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const storage = memoryStorage();
    const first = fakeClient(server, "alice", { storage });
    const handle = first.client.send(group.id, "written first");
    expect(JSON.parse(storage.get("mpchat:outbox") as string)[0].clientMsgId).toBe(handle.clientMsgId);
    first.client.close();

    const second = fakeClient(server, "alice", { storage });
    expect(second.client.outbox().map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    second.client.connect();
    await flush();
    expect(server.messages(group.id).map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(second.client.outbox()).toEqual([]);
    expect(storage.get("mpchat:outbox")).toBeUndefined();
  });

  it("retries with the same clientMsgId after the ack is lost with the connection: stored once", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { client } = fakeClient(server, "alice");
    client.connect();
    await flush();
    // The server stores the message but the link dies before the ack gets out.
    server.frameFilter = (socket, frame) => {
      if (frame.type !== "send") return "default";
      server.store(
        frame.conversationId,
        socket.userId as string,
        frame.body.kind === "text" ? frame.body.text : "",
        frame.clientMsgId,
      );
      socket.serverClose(1006, "cut");
      return "drop";
    };
    const handle = client.send(group.id, "once");
    const done = vi.fn();
    handle.done.then(done);
    await flush();
    server.frameFilter = () => "default";
    await vi.advanceTimersByTimeAsync(100);
    await flush();
    expect(done).toHaveBeenCalledTimes(1);
    const sends = server.sockets.flatMap((s) => s.sentOfType("send"));
    expect(sends.map((s) => s.clientMsgId)).toEqual([handle.clientMsgId, handle.clientMsgId]);
    expect(server.messages(group.id)).toHaveLength(1);
    expect(seqsOf(client.messages(group.id))).toEqual([1]);
  });

  it("repairs a push that skips seqs with a sync, and delivers in order", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.pushFilter = (_socket, frame) => !(frame.type === "message" && frame.message.seq === 2);
    server.store(group.id, "bob", "one");
    server.store(group.id, "bob", "two (dropped)");
    server.store(group.id, "bob", "three");
    await flush();
    expect(seqsOf(events.message)).toEqual([1, 2, 3]);
    expect(server.socket.sentOfType("sync").at(-1)?.afterSeq).toBe(1);
    expect(events.recovered.at(-1)).toEqual({ conversationId: group.id, fromSeq: 2, toSeq: 2, count: 1 });
  });

  it("reports forbidden as failed for good, without retrying", async () => {
    const server = new FakeServer();
    const theirs = server.createGroup(["bob", "carol"]);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    const handle = client.send(theirs.id, "let me in");
    const failure = handle.done.then(
      () => {
        throw new Error("expected a failure");
      },
      (error: SendFailedError) => error,
    );
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await failure;
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error.code).toBe("forbidden");
    expect(server.socket.sentOfType("send")).toHaveLength(1);
    expect(events.sendFailed).toHaveLength(1);
    expect(client.outbox()[0]?.status).toBe("failed");
  });

  it("refuses an over-long text locally as too_large; retry of a fixed entry is possible, discard removes it", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice"]);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    const handle = client.send(group.id, "x".repeat(4001));
    await expect(handle.done).rejects.toMatchObject({ code: "too_large" });
    expect(events.sendFailed[0]?.error.code).toBe("too_large");
    expect(server.socket.sentOfType("send")).toHaveLength(0);
    expect(client.retry(handle.clientMsgId)).toBeUndefined();
    expect(client.discard(handle.clientMsgId)).toBe(true);
    expect(client.outbox()).toEqual([]);
  });

  it("retries unavailable with backoff until acked; done resolves once", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice"]);
    const { client } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.sendErrors = { code: "unavailable", times: 3 };
    const done = vi.fn();
    client.send(group.id, "eventually").done.then(done);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.socket.sentOfType("send")).toHaveLength(4);
    expect(done).toHaveBeenCalledTimes(1);
  });

  it("rate_limited pauses the outbox and drops to one send in flight", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice"]);
    const { client } = fakeClient(server, "alice", { maxSendsInFlight: 8 });
    client.connect();
    await flush();
    server.sendErrors = { code: "rate_limited", times: 8 };
    const handles = range(1, 20).map((i) => client.send(group.id, `#${i}`));
    await flush();
    expect(server.socket.sentOfType("send")).toHaveLength(8);
    await vi.advanceTimersByTimeAsync(30_000);
    const settled = await Promise.all(handles.map((h) => h.done));
    expect(settled.map((m) => (m.body.kind === "text" ? m.body.text : "")).sort()).toEqual(
      range(1, 20)
        .map((i) => `#${i}`)
        .sort(),
    );
    expect(server.messages(group.id)).toHaveLength(20);
  });

  it("a sync request that gets no answer times out and the link's death triggers a reconnect and resync", async () => {
    const server = new FakeServer();
    server.heartbeatMs = 1_000;
    const group = server.createGroup(["alice", "bob"]);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.socket.silent = true;
    for (let i = 0; i < 5; i++) server.store(group.id, "bob", `while silent ${i}`);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(server.sockets[0]?.state).toBe("closed");
    await vi.advanceTimersByTimeAsync(100);
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(seqsOf(events.message)).toEqual(range(1, 5));
    expect(events.recovered).toEqual([{ conversationId: group.id, fromSeq: 1, toSeq: 5, count: 5 }]);
  });

  it("suspend, others send, resume: all arrive once, in order, reported as recovered", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.store(group.id, "bob", "before");
    await flush();
    client.suspend();
    for (let i = 0; i < 50; i++) server.store(group.id, "bob", `#${i}`);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.sockets).toHaveLength(1);
    client.resume();
    await flush();
    expect(seqsOf(events.message)).toEqual(range(1, 51));
    expect(events.recovered).toEqual([{ conversationId: group.id, fromSeq: 2, toSeq: 51, count: 50 }]);
  });

  it("on 4401 it stops, reports unauthorized, and does not reconnect", async () => {
    const server = new FakeServer();
    const { client, events } = fakeClient(server, "alice", { token: "expired" });
    client.connect();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.sockets).toHaveLength(1);
    expect(events.unauthorized).toHaveLength(1);
    expect(client.state).toBe("offline");
  });

  it("an HTTP 401 during resume stops the client like a 4401 close", async () => {
    const server = new FakeServer();
    server.httpUnauthorized = true;
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    expect(events.unauthorized).toEqual([{ message: "token expired" }]);
    expect(events.state.at(-1)).toEqual({ state: "offline", reason: "unauthorized" });
    expect(server.socket.state).toBe("closed");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.sockets).toHaveLength(1);
  });

  it("retries the conversation list with backoff while HTTP is down, then syncs", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    server.store(group.id, "bob", "hi");
    server.httpDown = true;
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await vi.advanceTimersByTimeAsync(1_000);
    const failedAttempts = server.httpRequests.length;
    expect(failedAttempts).toBeGreaterThan(1);
    expect(events.message).toEqual([]);
    server.httpDown = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seqsOf(events.message)).toEqual([1]);
  });

  it("markRead is sent after reconnect when it could not be sent before", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    server.store(group.id, "bob", "hi");
    const { client } = fakeClient(server, "alice");
    client.markRead(group.id, 1);
    client.connect();
    await flush();
    expect(server.socket.sentOfType("read").map((f) => f.seq)).toEqual([1]);
    expect(client.conversation(group.id)?.readSeq).toBe(1);
  });

  it("typing is throttled per conversation", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { client } = fakeClient(server, "alice");
    client.connect();
    await flush();
    client.typing(group.id);
    client.typing(group.id);
    await vi.advanceTimersByTimeAsync(2_000);
    client.typing(group.id);
    await flush();
    expect(server.socket.sentOfType("typing")).toHaveLength(2);
  });
});
