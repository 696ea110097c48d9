import type { AckFrame } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { type SuiteKind, sharesDatabase } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import { expectAck, range, sentinel, storedMessages, TEST_TIMEOUT, uid, waitForMessage } from "./scenario";

/** The parts of an ack that name the stored message (the request id differs per request). */
const named = (ack: AckFrame) => ({
  conversationId: ack.conversationId,
  clientMsgId: ack.clientMsgId,
  messageId: ack.messageId,
  seq: ack.seq,
  createdAt: ack.createdAt,
});

/** Guarantees 1 (durable ack) and 2 (idempotent send). */
export function describeDurableAndIdempotent(kind: SuiteKind): void {
  describe("1. durable ack and 2. idempotent send", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind);
    const { connect } = g;

    it("1. every acked message is readable through another database connection the moment its ack arrives", async () => {
      const [alice, bob] = await connect(uid("alice"), uid("bob"));
      if (!alice || !bob) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("durable", [bob.userId]);
      // Concurrent sends from two users land in shared group-commit batches: an ack
      // sent before its batch commits would find nothing on the second connection.
      const sends = range(1, 40).map(async (i) => {
        const sender = i % 2 === 0 ? alice : bob;
        const clientMsgId = `durable-${i}`;
        const ack = expectAck(await sender.sendText(group.id, `durable ${i}`, clientMsgId));
        // No await between the ack and this read.
        const stored = await g.reader.findByClientMsgId(sender.userId, clientMsgId);
        return { ack, stored, text: `durable ${i}`, senderId: sender.userId };
      });
      const results = await Promise.all(sends);
      for (const { ack, stored, text, senderId } of results) {
        expect(stored).toEqual({
          id: ack.messageId,
          conversationId: group.id,
          seq: ack.seq,
          senderId,
          clientMsgId: ack.clientMsgId,
          body: { kind: "text", text },
          createdAt: ack.createdAt,
        });
      }
      expect(results.map((r) => r.ack.seq).sort((a, b) => a - b)).toEqual(range(1, 40));
      expect((await storedMessages(g.reader, group.id)).map((m) => m.id)).toEqual(
        [...results].sort((a, b) => a.ack.seq - b.ack.seq).map((r) => r.ack.messageId),
      );
    });

    it("2. a clientMsgId sent again on a second connection returns the identical ack; nothing is stored or pushed twice", async () => {
      const aliceId = uid("alice");
      const [alice, alice2, bob, carol] = await connect(aliceId, aliceId, uid("bob"), uid("carol"));
      if (!alice || !alice2 || !bob || !carol) throw new Error("connect");
      const everyone = [alice, alice2, bob, carol];
      const group = await alice.api(g.server).createGroup("idempotent", [bob.userId, carol.userId]);
      const first = expectAck(await alice.sendText(group.id, "exactly once", "retry-me"));
      await Promise.all(everyone.map((client) => waitForMessage(client, first.messageId)));

      const again = expectAck(await alice2.sendText(group.id, "exactly once", "retry-me"));
      const third = expectAck(await alice.sendText(group.id, "exactly once", "retry-me"));
      expect(named(again)).toEqual(named(first));
      expect(named(third)).toEqual(named(first));

      // A later message from someone else reaches everybody after anything the retries could have pushed.
      const marker = await sentinel(bob, group.id, everyone);
      expect(marker.seq).toBe(first.seq + 1); // the retries took no seq
      for (const client of everyone) {
        const pushed = client.messagesIn(group.id).map((f) => f.message.clientMsgId);
        expect(pushed.filter((id) => id === "retry-me")).toHaveLength(1);
        expect(pushed).toHaveLength(2);
      }
      const stored = await storedMessages(g.reader, group.id);
      expect(stored.map((m) => [m.seq, m.clientMsgId])).toEqual([
        [1, "retry-me"],
        [2, marker.clientMsgId],
      ]);
    });

    it("2. the same clientMsgId sent concurrently on two connections is stored once, with one ack for all", async () => {
      const aliceId = uid("alice");
      const [alice, alice2, bob] = await connect(aliceId, aliceId, uid("bob"));
      if (!alice || !alice2 || !bob) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("concurrent retry", [bob.userId]);
      for (let round = 0; round < 5; round++) {
        const clientMsgId = `race-${round}`;
        // Four copies at once: two per connection, so that they meet in one batch and across batches.
        const answers = await Promise.all([
          alice.sendText(group.id, `race ${round}`, clientMsgId),
          alice2.sendText(group.id, `race ${round}`, clientMsgId),
          alice.sendText(group.id, `race ${round}`, clientMsgId),
          alice2.sendText(group.id, `race ${round}`, clientMsgId),
        ]);
        const acks = answers.map(expectAck);
        for (const ack of acks) expect(named(ack)).toEqual(named(acks[0] as AckFrame));
        expect(acks[0]?.seq).toBe(round + 1);
      }
      await sentinel(bob, group.id, [alice, alice2, bob]);
      const stored = await storedMessages(g.reader, group.id);
      expect(stored.map((m) => m.clientMsgId)).toEqual([...range(0, 4).map((r) => `race-${r}`), expect.any(String)]);
      for (const client of [alice, alice2, bob]) {
        expect(client.messagesIn(group.id).map((f) => f.message.seq)).toHaveLength(6);
        expect(new Set(client.messagesIn(group.id).map((f) => f.message.seq)).size).toBe(6);
      }
    });

    it.skipIf(!sharesDatabase(kind))(
      "2. the same clientMsgId sent at once through two server instances (MySQL) is stored once, with one ack for all",
      async () => {
        const second = await g.startAnotherInstance();
        const aliceId = uid("alice");
        const [alice, bob] = await connect(aliceId, uid("bob"));
        if (!alice || !bob) throw new Error("connect");
        const [aliceThere, aliceThere2] = await g.connectOn(second, [aliceId, aliceId]);
        if (!aliceThere || !aliceThere2) throw new Error("connect");
        const group = await alice.api(g.server).createGroup("two instances", [bob.userId]);
        for (let round = 0; round < 10; round++) {
          const clientMsgId = `across-${round}`;
          const acks = (
            await Promise.all(
              [alice, aliceThere, alice, aliceThere2].map((c) => c.sendText(group.id, `across ${round}`, clientMsgId)),
            )
          ).map(expectAck);
          for (const ack of acks) expect(named(ack)).toEqual(named(acks[0] as AckFrame));
          expect(acks[0]?.seq).toBe(round + 1);
        }
        const stored = await storedMessages(g.reader, group.id);
        expect(stored.map((m) => [m.seq, m.clientMsgId])).toEqual(range(0, 9).map((r) => [r + 1, `across-${r}`]));
      },
    );

    it("2. the same clientMsgId in another conversation is conflict and stores nothing (also when both race); another sender's is its own message", async () => {
      const [alice, bob] = await connect(uid("alice"), uid("bob"));
      if (!alice || !bob) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("here", [bob.userId]);
      const other = await alice.api(g.server).createGroup("there", [bob.userId]);
      const original = expectAck(await alice.sendText(group.id, "named once", "shared-name"));

      const moved = await alice.sendText(other.id, "named once", "shared-name");
      expect(moved).toMatchObject({ type: "error", code: "conflict", id: expect.any(String) });
      expect(await storedMessages(g.reader, other.id)).toEqual([]);

      // (senderId, clientMsgId) names a message: bob's "shared-name" is a different one.
      const bobs = expectAck(await bob.sendText(group.id, "mine", "shared-name"));
      expect(bobs.messageId).not.toBe(original.messageId);
      expect(bobs.seq).toBe(original.seq + 1);
      expect((await storedMessages(g.reader, group.id)).map((m) => [m.senderId, m.clientMsgId])).toEqual([
        [alice.userId, "shared-name"],
        [bob.userId, "shared-name"],
      ]);

      // Both uses of a new name at once, amid other sends: one is stored, the other is conflict, seqs stay dense.
      const answers = await Promise.all([
        ...range(1, 5).map((i) => alice.sendText(group.id, `filler a${i}`)),
        alice.sendText(group.id, "which one?", "contested"),
        alice.sendText(other.id, "which one?", "contested"),
        ...range(1, 5).map((i) => bob.sendText(group.id, `filler b${i}`)),
      ]);
      const contested = answers.slice(5, 7);
      expect(contested.map((a) => (a.type === "ack" ? "ack" : a.code)).sort()).toEqual(["ack", "conflict"]);
      expect(answers.filter((a) => a.type === "ack")).toHaveLength(11);
      const inGroup = await storedMessages(g.reader, group.id);
      const inOther = await storedMessages(g.reader, other.id);
      expect(inGroup.map((m) => m.seq)).toEqual(range(1, inGroup.length));
      expect(inOther.map((m) => m.seq)).toEqual(range(1, inOther.length));
      expect([...inGroup, ...inOther].filter((m) => m.clientMsgId === "contested")).toHaveLength(1);
      expect(inGroup.length + inOther.length).toBe(2 + 11);
    });
  });
}
