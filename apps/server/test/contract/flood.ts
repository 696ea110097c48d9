import { CloseCode, type ErrorFrame, type ServerFrame } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { GatewayLimits } from "../../src/gateway/limits";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import { expectAck, range, sendFrame, storedMessages, TEST_TIMEOUT, uid, waitForMessage } from "./scenario";

/** Small limits so that a flood is reached quickly; honest clients below stay far under them. */
const LIMITS: Partial<GatewayLimits> = {
  sendBurst: 5,
  sendRatePerSecond: 2,
  frameBurst: 40,
  frameRatePerSecond: 20,
  floodTolerance: 10,
  floodForgivePerSecond: 1,
};

const isRateLimited = (frame: ServerFrame): frame is ErrorFrame =>
  frame.type === "error" && frame.code === "rate_limited";

/** Guarantee 7, continued: per-connection rates, flooding, and slow consumers. */
export function describeFlood(kind: SuiteKind): void {
  describe("7. flooding and slow consumers", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind, { gateway: LIMITS });
    const { connect } = g;

    it("answers sends past the rate with rate_limited (with their ids), stores none of them, and keeps the connection", async () => {
      const [alice, bob] = await connect(uid("alice"), uid("bob"));
      if (!alice || !bob) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("rate", [bob.userId]);
      const answers = await Promise.all(range(1, 9).map((i) => alice.sendText(group.id, `quick ${i}`, `quick-${i}`)));
      const acked = answers.filter((a) => a.type === "ack");
      const refused = answers.filter((a) => a.type === "error");
      // The burst (5) passes; a token may have refilled meanwhile on a slow machine.
      expect(acked.length).toBeGreaterThanOrEqual(5);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const answer of refused) expect(answer).toMatchObject({ code: "rate_limited", id: expect.any(String) });
      const stored = await storedMessages(g.reader, group.id);
      expect(stored.map((m) => m.clientMsgId).sort()).toEqual(acked.map((a) => a.clientMsgId).sort());
      expect((await alice.request({ type: "ping" })).type).toBe("pong");
      // Others are not held to alice's rate.
      const ack = expectAck(await bob.sendText(group.id, "still fine"));
      await waitForMessage(alice, ack.messageId);
    });

    it("closes a connection that keeps flooding with 4429; its user's other connection and other clients keep chatting", async () => {
      const floodId = uid("flooder");
      const [flooder, flooder2, bob, carol] = await connect(floodId, floodId, uid("bob"), uid("carol"));
      if (!flooder || !flooder2 || !bob || !carol) throw new Error("connect");
      const group = await bob.api(g.server).createGroup("flood", [floodId, carol.userId]);
      const started = Date.now();
      for (let i = 0; i < 300; i++) flooder.sendRaw(sendFrame(group.id, `flood ${i}`, { id: `f${i}` }));
      // Meanwhile, honest clients chat (well within their own limits).
      const chat = Promise.all(
        range(1, 3).map(async (i) => {
          const ack = expectAck(await bob.sendText(group.id, `honest ${i}`));
          await waitForMessage(carol, ack.messageId);
          return ack;
        }),
      );
      const [closed] = await Promise.all([flooder.closed, chat]);
      const elapsedSeconds = (Date.now() - started) / 1000;
      expect(closed.code).toBe(CloseCode.Flooding);

      const acks = flooder.frames.filter((f) => f.type === "ack");
      const limited = flooder.frames.filter(isRateLimited);
      // Held to its rate: no more than the burst plus what the rate refilled while it flooded.
      expect(acks.length).toBeGreaterThanOrEqual(5);
      expect(acks.length).toBeLessThanOrEqual(5 + Math.ceil(2 * elapsedSeconds) + 1);
      // Closed only after its patience (10 refusals, forgiven 1/s) ran out.
      expect(limited.length).toBeGreaterThanOrEqual(10);
      expect(limited.every((f) => typeof f.id === "string" && f.id.startsWith("f"))).toBe(true);
      const stored = await storedMessages(g.reader, group.id);
      expect(stored.filter((m) => m.senderId === floodId)).toHaveLength(acks.length);

      // The limit is per connection: the flooder's other device still sends.
      const other = expectAck(await flooder2.sendText(group.id, "from my other device"));
      await waitForMessage(carol, other.messageId);
      const after = expectAck(await bob.sendText(group.id, "after the flood"));
      await waitForMessage(carol, after.messageId);
    });

    it("closes a connection that floods with other frames (pings) too, with 4429", async () => {
      const [pinger, bob] = await connect(uid("pinger"), uid("bob"));
      if (!pinger || !bob) throw new Error("connect");
      for (let i = 0; i < 500; i++) pinger.sendRaw(JSON.stringify({ type: "ping", id: `p${i}` }));
      expect((await pinger.closed).code).toBe(CloseCode.Flooding);
      expect(pinger.frames.filter((f) => f.type === "pong").length).toBeGreaterThanOrEqual(40);
      expect(pinger.frames.filter(isRateLimited).length).toBeGreaterThanOrEqual(10);
      expect((await bob.request({ type: "ping" })).type).toBe("pong");
    });
  });

  describe("7. a slow consumer is cut off instead of buffering", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind, { gateway: { maxBufferedBytes: 256 * 1024, sendBurst: 100 } });

    it("terminates a socket whose unsent output passes the bound; the others keep chatting", async () => {
      const [alice, bob, slow] = await g.connect(uid("alice"), uid("bob"), uid("slow"));
      if (!alice || !bob || !slow) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("slow", [bob.userId, slow.userId]);
      const big = "字".repeat(4000); // 12 KB of UTF-8
      for (let i = 0; i < 30; i++) expectAck(await alice.sendText(group.id, big));
      await bob.waitFor((f) => f.type === "message" && f.message.seq === 30);
      const bobFrom = bob.frames.length;
      // Stop reading on the slow socket, then ask for far more than the bound (each sync answers ~360 KB).
      // biome-ignore lint/suspicious/noExplicitAny: pausing the TCP socket under a ws client is the point
      (slow.socket as any)._socket.pause();
      for (let i = 0; i < 30; i++)
        slow.sendRaw(JSON.stringify({ type: "sync", id: `s${i}`, conversationId: group.id, afterSeq: 0 }));
      // Its last connection dropped: its contacts hear it went offline.
      await bob.waitFor((f) => f.type === "presence" && f.userId === slow.userId && !f.online, undefined, {
        fromIndex: bobFrom,
      });
      // biome-ignore lint/suspicious/noExplicitAny: see above
      (slow.socket as any)._socket.resume();
      expect((await slow.closed).code).toBe(1006); // terminated, no close handshake
      expect(slow.frames.filter((f) => f.type === "batch").length).toBeLessThan(30);
      const ack = expectAck(await bob.sendText(group.id, "unaffected"));
      await waitForMessage(alice, ack.messageId);
    });
  });
}
