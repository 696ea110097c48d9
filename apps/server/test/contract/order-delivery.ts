import { describe, expect, it } from "vitest";
import { TestClient } from "../support/client";
import { type SuiteKind, sharesDatabase } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import {
  expectAck,
  range,
  sentinel,
  storedMessages,
  syncPages,
  TEST_TIMEOUT,
  uid,
  waitForMessageCount,
} from "./scenario";

const SENDERS = 20;
const PER_SENDER = 50;
const TOTAL = SENDERS * PER_SENDER;

/** Guarantees 3 (dense order) and 4 (delivery, and resume by sync). */
export function describeOrderAndDelivery(kind: SuiteKind): void {
  describe("3. dense order and 4. delivery", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind);
    const { connect, connectOn } = g;

    it(`3+4. ${SENDERS} clients × ${PER_SENDER} messages at once: seqs are exactly 1..${TOTAL}, every member connection gets each once`, async () => {
      const senders = await connect(...range(1, SENDERS).map((i) => uid(`sender${i}`)));
      const watcherId = uid("watcher"); // a member who only reads, on two devices
      const watchers = await connect(watcherId, watcherId);
      const everyone = [...senders, ...watchers];
      const [first] = senders;
      if (!first) throw new Error("connect");
      const group = await first.api(g.server).createGroup("crowd", [...senders.map((s) => s.userId), watcherId]);

      const acks = (
        await Promise.all(
          senders.map((sender, s) =>
            Promise.all(range(1, PER_SENDER).map((i) => sender.sendText(group.id, `s${s} m${i}`, `s${s}-m${i}`))),
          ),
        )
      )
        .flat()
        .map(expectAck);
      expect(acks.map((a) => a.seq).sort((a, b) => a - b)).toEqual(range(1, TOTAL));
      expect(new Set(acks.map((a) => a.messageId)).size).toBe(TOTAL);

      const stored = await storedMessages(g.reader, group.id);
      expect(stored.map((m) => m.seq)).toEqual(range(1, TOTAL));
      const ackBySeq = new Map(acks.map((a) => [a.seq, a]));
      for (const message of stored) expect(message.id).toBe(ackBySeq.get(message.seq)?.messageId);

      await Promise.all(everyone.map((client) => waitForMessageCount(client, group.id, TOTAL)));
      // Anything pushed twice would have arrived before this.
      await sentinel(first, group.id, everyone);
      for (const client of everyone) {
        const seqs = client.messagesIn(group.id).map((f) => f.message.seq);
        expect(seqs).toHaveLength(TOTAL + 1);
        expect([...seqs].sort((a, b) => a - b)).toEqual(range(1, TOTAL + 1));
        expect(client.invalidFrames).toEqual([]);
      }
    });

    it.skipIf(!sharesDatabase(kind))(
      "3. two server instances on one MySQL database (SQLite: one process by design), 10 clients each sending at once: seqs dense, no repeats",
      async () => {
        const second = await g.startAnotherInstance();
        const onFirst = await connect(...range(1, 10).map((i) => uid(`a${i}`)));
        const [creator] = onFirst;
        if (!creator) throw new Error("connect");
        const memberIds = range(1, 10).map((i) => uid(`b${i}`));
        // The users of the second instance must exist before they are added to the group.
        const onSecond = await connectOn(second, memberIds);
        const group = await creator
          .api(g.server)
          .createGroup("two instances", [...onFirst.map((c) => c.userId), ...memberIds]);
        const acks = (
          await Promise.all(
            [...onFirst, ...onSecond].map((client, c) =>
              Promise.all(range(1, 20).map((i) => client.sendText(group.id, `c${c} m${i}`, `two-${c}-${i}`))),
            ),
          )
        )
          .flat()
          .map(expectAck);
        expect(acks.map((a) => a.seq).sort((a, b) => a - b)).toEqual(range(1, 400));
        expect((await storedMessages(g.reader, group.id)).map((m) => m.seq)).toEqual(range(1, 400));
      },
    );

    it("4. a member who misses 30 messages while away syncs from its last seq and gets exactly those, once, in order", async () => {
      const [alice, bob] = await connect(uid("alice"), uid("bob"));
      if (!alice || !bob) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("resume", [bob.userId]);
      for (let i = 1; i <= 5; i++) expectAck(await alice.sendText(group.id, `before ${i}`));
      await waitForMessageCount(bob, group.id, 5);
      const lastSeen = Math.max(...bob.messagesIn(group.id).map((f) => f.message.seq));
      expect(lastSeen).toBe(5);
      await bob.close();

      const missed = new Map<number, string>();
      for (let i = 1; i <= 30; i++) {
        const text = `missed ${i} ✉️`;
        const ack = expectAck(await alice.sendText(group.id, text));
        missed.set(ack.seq, text);
      }
      const back = g.keep(await TestClient.connect(g.server, bob.userId));
      const pages = await syncPages(back, group.id, lastSeen, 7);
      expect(pages.map((p) => p.messages.length)).toEqual([7, 7, 7, 7, 2]);
      expect(pages.map((p) => p.hasMore)).toEqual([true, true, true, true, false]);
      const synced = pages.flatMap((p) => p.messages);
      expect(synced.map((m) => m.seq)).toEqual(range(6, 35));
      expect(synced.map((m) => m.body.kind === "text" && m.body.text)).toEqual(
        range(6, 35).map((seq) => missed.get(seq)),
      );
      expect(synced.every((m) => m.senderId === alice.userId && m.conversationId === group.id)).toBe(true);
      // The reconnected socket is live again: the next message is pushed, nothing older is.
      const next = await sentinel(alice, group.id, [back]);
      expect(next.seq).toBe(36);
      expect(back.messagesIn(group.id).map((f) => f.message.seq)).toEqual([36]);
      // A page that ends exactly at the last message says so: 14 after seq 22, in pages of 7.
      const exact = await syncPages(back, group.id, 22, 7);
      expect(exact.map((p) => [p.messages.length, p.hasMore])).toEqual([
        [7, true],
        [7, false],
      ]);
    });
  });
}
