import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

describe.each(["sqlite", "mysql"] as const)("WebSocket frames, happy path (%s)", (storeKind) => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let conversationId: string;

  beforeAll(async () => {
    server = await startTestServer({ store: storeKind });
    alice = await TestClient.connect(server, "alice");
    bob = await TestClient.connect(server, "bob");
    conversationId = (await alice.api(server).createDirect("bob")).id;
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.close();
  });

  it("answers auth with ready carrying the user and heartbeat", () => {
    const ready = alice.frames.find((frame) => frame.type === "ready");
    expect(ready).toMatchObject({ type: "ready", userId: "alice", heartbeatMs: server.config.heartbeatMs });
  });

  it("acks a send after storing it and pushes it to both members, sender included", async () => {
    const ack = await alice.sendText(conversationId, "hello bob", "c-1");
    expect(ack).toMatchObject({ type: "ack", conversationId, clientMsgId: "c-1", seq: 1 });
    if (ack.type !== "ack") throw new Error("no ack");
    const stored = await server.store.findByClientMsgId("alice", "c-1");
    expect(stored).toMatchObject({ id: ack.messageId, seq: 1, body: { kind: "text", text: "hello bob" } });
    for (const client of [alice, bob]) {
      const pushed = await client.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
      expect(pushed).toMatchObject({ conversationId, message: { senderId: "alice", seq: 1 } });
    }
  });

  it("answers sync with a batch of the messages after afterSeq", async () => {
    await bob.sendText(conversationId, "hi alice");
    const batch = await bob.request({ type: "sync", conversationId, afterSeq: 0 });
    expect(batch).toMatchObject({ type: "batch", conversationId, hasMore: false });
    if (batch.type !== "batch") throw new Error("no batch");
    expect(batch.messages.map((m) => [m.seq, m.body.kind === "text" && m.body.text])).toEqual([
      [1, "hello bob"],
      [2, "hi alice"],
    ]);
  });

  it("answers read with ok and sends the receipt to the other member", async () => {
    // alice's cursor is at 1 (her own message); bob's message 2 is unread for her.
    const ok = await alice.request({ type: "read", conversationId, seq: 2 });
    expect(ok.type).toBe("ok");
    const receipt = await bob.waitFor((f) => f.type === "receipt" && f.userId === "alice");
    expect(receipt).toMatchObject({ conversationId, seq: 2 });
    const [view] = await alice.api(server).conversations();
    expect(view).toMatchObject({ readSeq: 2, unread: 0, lastSeq: 2 });
  });

  it("relays typing to the other member only", async () => {
    const from = alice.frames.length;
    bob.sendRaw(JSON.stringify({ type: "typing", conversationId }));
    await alice.waitFor((f) => f.type === "typing" && f.userId === "bob", undefined, { fromIndex: from });
    const pong = await bob.request({ type: "ping" });
    expect(pong.type).toBe("pong");
    expect(bob.frames.some((f) => f.type === "typing")).toBe(false);
  });

  it("answers ping with pong and the server time", async () => {
    const before = Date.now();
    const pong = await alice.request({ type: "ping" });
    expect(pong).toMatchObject({ type: "pong" });
    if (pong.type !== "pong") throw new Error("no pong");
    expect(pong.serverTime).toBeGreaterThanOrEqual(before - 1000);
  });

  it("sends nothing the protocol schema refuses", () => {
    expect(alice.invalidFrames).toEqual([]);
    expect(bob.invalidFrames).toEqual([]);
  });
});
