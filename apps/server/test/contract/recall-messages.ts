import type { AckFrame, ClientBody } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { TestClient } from "../support/client";
import type { SuiteKind } from "./fixture";
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

const SENDERS = 6;
const PER_SENDER = 12;

function send(client: TestClient, conversationId: string, body: ClientBody, clientMsgId = uid("c")) {
  return client.request({ type: "send", conversationId, clientMsgId, body });
}

/**
 * "Recall is a message" (PROTOCOL.md): a recall takes the road of every message,
 * so guarantees 2–4 hold for it with no new mechanism. Senders recall half of
 * their own messages while everyone keeps sending, each recall sent twice (the
 * second with another clientMsgId, as a client whose ack was lost would): the
 * seqs stay dense, each message is recalled once, every push arrives once, and a
 * sync from 0 returns the tombstones in place.
 */
export function describeRecallMessages(kind: SuiteKind): void {
  describe("recall messages are dense, exactly once and in order", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind);

    it(`${SENDERS} senders recall half their messages while sending more: seqs dense, one recall each, pushed once`, async () => {
      const senders = await g.connect(...range(1, SENDERS).map((i) => uid(`recaller${i}`)));
      const watcherId = uid("watcher");
      const watchers = await g.connect(watcherId, watcherId);
      const everyone = [...senders, ...watchers];
      const [first] = senders;
      if (!first) throw new Error("connect");
      const group = await first.api(g.server).createGroup("recalls", [...senders.map((s) => s.userId), watcherId]);

      const originals = (
        await Promise.all(
          senders.map((sender, s) =>
            Promise.all(range(1, PER_SENDER).map((i) => sender.sendText(group.id, `s${s} m${i}`))),
          ),
        )
      ).map((acks) => acks.map(expectAck));
      // At once: each sender recalls every other message of theirs twice and sends as many new ones.
      const second = await Promise.all(
        senders.map((sender, s) =>
          Promise.all(
            (originals[s] ?? []).flatMap((original, i) =>
              i % 2 === 0
                ? [
                    send(sender, group.id, { kind: "recall", messageId: original.messageId }),
                    send(sender, group.id, { kind: "recall", messageId: original.messageId }),
                  ]
                : [sender.sendText(group.id, `s${s} after ${i}`)],
            ),
          ),
        ),
      );
      const recallAcks: AckFrame[] = [];
      const newAcks: AckFrame[] = [];
      for (const answers of second) {
        const acks = answers.map(expectAck);
        for (let i = 0, k = 0; k < PER_SENDER; k++) {
          if (k % 2 === 0) {
            const [a, b] = [acks[i], acks[i + 1]];
            if (!a || !b) throw new Error("answers");
            // The repeat is answered with the first recall's ack as stored (its clientMsgId too).
            expect({ ...b, id: a.id }).toEqual(a);
            recallAcks.push(a);
            i += 2;
          } else {
            const a = acks[i];
            if (!a) throw new Error("answers");
            newAcks.push(a);
            i += 1;
          }
        }
      }
      const perSender = PER_SENDER;
      const total = SENDERS * perSender + (SENDERS * perSender) / 2 + (SENDERS * perSender) / 2;
      const allAcks = [...originals.flat(), ...recallAcks, ...newAcks];
      expect(allAcks.map((a) => a.seq).sort((a, b) => a - b)).toEqual(range(1, total));

      const stored = await storedMessages(g.reader, group.id);
      expect(stored.map((m) => m.seq)).toEqual(range(1, total));
      const recalls = stored.filter((m) => m.body.kind === "recall");
      expect(recalls).toHaveLength((SENDERS * PER_SENDER) / 2);
      const seqOf = new Map(stored.map((m) => [m.id, m.seq]));
      const targets = recalls.map((m) => (m.body.kind === "recall" ? m.body.messageId : ""));
      expect(new Set(targets).size).toBe(recalls.length);
      for (const recall of recalls) {
        const target = recall.body.kind === "recall" ? recall.body.messageId : "";
        // In order: a recall comes after what it recalls, and the original is a tombstone now.
        expect(recall.seq).toBeGreaterThan(seqOf.get(target) ?? Number.POSITIVE_INFINITY);
        expect(stored.find((m) => m.id === target)?.body).toEqual({ kind: "recalled", by: "sender" });
      }

      await Promise.all(everyone.map((client) => waitForMessageCount(client, group.id, total)));
      await sentinel(first, group.id, everyone);
      for (const client of everyone) {
        const seqs = client.messagesIn(group.id).map((f) => f.message.seq);
        // Exactly once: the repeats were not pushed again.
        expect(seqs).toHaveLength(total + 1);
        expect([...seqs].sort((a, b) => a - b)).toEqual(range(1, total + 1));
        expect(client.invalidFrames).toEqual([]);
      }
      // Resume: a sync from 0 returns the stream as stored, tombstones in place.
      const [watcher] = watchers;
      if (!watcher) throw new Error("connect");
      const synced = (await syncPages(watcher, group.id, 0, 50)).flatMap((p) => p.messages);
      expect(synced.slice(0, total)).toEqual(stored);
    });
  });
}
