import { CloseCode } from "@mpchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { startTestServer, type TestConfig, type TestServer } from "./support/server";

/** A server with alice and bob in one group; `bob` is the bystander who keeps chatting. */
async function setup(config?: TestConfig) {
  const server = await startTestServer({ config });
  const alice = await TestClient.connect(server, "alice");
  const bob = await TestClient.connect(server, "bob");
  const group = await alice.api(server).createGroup("limits", ["bob"]);
  return { server, alice, bob, groupId: group.id };
}

describe("gateway limits", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("closes 1009 on a frame over 64 KiB; others keep chatting", async () => {
    const s = await setup();
    server = s.server;
    s.alice.sendRaw(JSON.stringify({ type: "ping", pad: "x".repeat(64 * 1024) }));
    expect((await s.alice.closed).code).toBe(CloseCode.TooLarge);
    expect(await s.bob.sendText(s.groupId, "still here")).toMatchObject({ type: "ack" });
  });

  it("answers a binary frame with bad_request and keeps the connection", async () => {
    const s = await setup();
    server = s.server;
    s.alice.sendRaw(Buffer.from(JSON.stringify({ type: "ping", id: "b" })), { binary: true });
    await s.alice.waitFor((f) => f.type === "error" && f.code === "bad_request");
    expect((await s.alice.request({ type: "ping" })).type).toBe("pong");
  });

  it("closes 4400 at the 11th protocol violation, after answering each", async () => {
    const s = await setup();
    server = s.server;
    for (let i = 0; i < 11; i++) s.alice.sendRaw(`not json ${i}`);
    expect((await s.alice.closed).code).toBe(CloseCode.ProtocolViolation);
    expect(s.alice.frames.filter((f) => f.type === "error" && f.code === "bad_request")).toHaveLength(11);
    expect(await s.bob.sendText(s.groupId, "unaffected")).toMatchObject({ type: "ack" });
  });

  it("holds a flooding sender to its rate (rate_limited), then closes it 4429; others keep chatting", async () => {
    const s = await setup();
    server = s.server;
    // Defaults: burst 60 sends (refill 20/s), then 50 refusals (forgiven 5/s) before 4429.
    for (let i = 0; i < 400; i++) {
      s.alice.sendRaw(
        JSON.stringify({
          type: "send",
          id: `f${i}`,
          conversationId: s.groupId,
          clientMsgId: `f${i}`,
          body: { kind: "text", text: `flood ${i}` },
        }),
      );
    }
    expect((await s.alice.closed).code).toBe(CloseCode.Flooding);
    const acks = s.alice.frames.filter((f) => f.type === "ack").length;
    const limited = s.alice.frames.filter((f) => f.type === "error" && f.code === "rate_limited").length;
    expect(acks).toBeGreaterThanOrEqual(60);
    expect(acks).toBeLessThan(400);
    expect(limited).toBeGreaterThanOrEqual(50);
    // Each refusal says when the next send would be taken: the bucket refills at 20/s, so within 50 ms.
    for (const frame of s.alice.frames.filter((f) => f.type === "error" && f.code === "rate_limited")) {
      expect(frame).toMatchObject({ retryAfterMs: expect.any(Number) });
      const { retryAfterMs } = frame as { retryAfterMs: number };
      expect(Number.isInteger(retryAfterMs) && retryAfterMs >= 1 && retryAfterMs <= 50).toBe(true);
    }
    expect(await s.bob.sendText(s.groupId, "unaffected")).toMatchObject({ type: "ack" });
    const stored = await s.server.store.listMessages(s.groupId, { afterSeq: 0, limit: 200 });
    expect(stored.messages.filter((m) => m.senderId === "alice")).toHaveLength(acks);
  });

  it("closes 4408 when nothing arrives for two heartbeats", async () => {
    const s = await setup({ heartbeatMs: 300 });
    server = s.server;
    expect(s.alice.frames[0]).toMatchObject({ type: "ready", heartbeatMs: 300 });
    expect((await s.alice.closed).code).toBe(CloseCode.HeartbeatTimeout);
  });

  it("terminates a socket whose unsent output passes the bound instead of buffering", async () => {
    const s = await setup({ gateway: { maxBufferedBytes: 256 * 1024, sendBurst: 100 } });
    server = s.server;
    const big = "字".repeat(4000); // 12 KB of UTF-8 per message
    for (let i = 0; i < 50; i++) expect(await s.bob.sendText(s.groupId, big)).toMatchObject({ type: "ack" });
    const slow = await TestClient.connect(s.server, "alice"); // alice's second connection, which stops reading
    const from = s.bob.frames.length;
    s.alice.close();
    // biome-ignore lint/suspicious/noExplicitAny: reaching the TCP socket of a ws client to pause reading
    (slow.socket as any)._socket.pause();
    for (let i = 0; i < 40; i++)
      slow.sendRaw(JSON.stringify({ type: "sync", id: `s${i}`, conversationId: s.groupId, afterSeq: 0 }));
    // Each sync answers ~600 KB; when the server drops alice's last connection, bob hears she went offline.
    await s.bob.waitFor((f) => f.type === "presence" && f.userId === "alice" && !f.online, undefined, {
      fromIndex: from,
    });
    // biome-ignore lint/suspicious/noExplicitAny: see above
    (slow.socket as any)._socket.resume();
    expect((await slow.closed).code).toBe(1006);
    expect(slow.frames.filter((f) => f.type === "batch").length).toBeLessThan(40);
    expect(await s.bob.sendText(s.groupId, "unaffected")).toMatchObject({ type: "ack" });
  });
});
