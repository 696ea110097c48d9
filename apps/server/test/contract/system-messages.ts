import type { ServerFrame } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { TestClient } from "../support/client";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import {
  expectAck,
  expectError,
  range,
  sentinel,
  storedMessages,
  syncPages,
  TEST_TIMEOUT,
  uid,
  waitForMessageCount,
} from "./scenario";

/** Whether a frame carries anything of the conversation (`conversation_removed` aside). */
function isAbout(frame: ServerFrame, conversationId: string): boolean {
  if (frame.type === "conversation_removed") return false;
  if (frame.type === "conversation") return frame.conversation.id === conversationId;
  return "conversationId" in frame && frame.conversationId === conversationId;
}

/**
 * Groups people run, under the guarantees: system messages are messages (3 and 4:
 * dense, exactly once, in order, resumable by sync), and a removal is guarantee 5
 * extended: `conversation_removed` on every connection of the removed (spread over
 * the instances in a cluster), then nothing more of the conversation, while the
 * others keep sending.
 */
export function describeSystemMessages(kind: SuiteKind): void {
  describe("system messages and removal", { timeout: TEST_TIMEOUT }, () => {
    // Senders here send as fast as their acks come back: no rate limit in the way.
    const g = useGuaranteeServer(kind, {
      gateway: { sendRatePerSecond: 100_000, sendBurst: 100_000, frameRatePerSecond: 100_000, frameBurst: 100_000 },
    });
    const { connect } = g;

    it("3+4. system messages made while members send are dense, pushed once each and in order, and resumable", async () => {
      const [owner, a, b] = await connect(uid("owner"), uid("a"), uid("b"));
      const watcherId = uid("watcher");
      const [watcher, watcherAgain] = await connect(watcherId, watcherId);
      const newcomers = range(1, 4).map((i) => uid(`new${i}`));
      await connect(...newcomers);
      if (!owner || !a || !b || !watcher || !watcherAgain) throw new Error("connect");
      const everyone = [owner, a, b, watcher, watcherAgain];
      const group = await owner.api(g.server).createGroup("busy", [a.userId, b.userId, watcherId]);
      const id = group.id;
      const api = owner.api(g.server);
      const until = Date.now() + 3_600_000;
      // 40 sends and 12 management calls at once, on whichever instance each lands.
      const sends = [a, b].flatMap((client) => range(1, 20).map((i) => client.sendText(id, `${client.userId} ${i}`)));
      const calls = [
        ...range(1, 4).map((i) => api.updateGroup(id, { title: `title ${i}` })),
        ...newcomers.map((userId) => api.addMembers(id, [userId])),
        api.setAdmin(id, a.userId, true),
        api.updateGroup(id, { announcement: "hello all" }),
        api.mute(id, until, watcherId),
        api.mute(id, 0, watcherId),
      ];
      const [acks] = await Promise.all([Promise.all(sends), Promise.all(calls)]);
      for (const ack of acks) expectAck(ack);
      const stored = await storedMessages(g.reader, id);
      const total = stored.length;
      // Muting and unmuting the same member at once may land in either order: 12 system messages either way.
      expect(stored.filter((m) => m.body.kind === "system")).toHaveLength(12);
      expect(stored.map((m) => m.seq)).toEqual(range(1, total));
      expect(total).toBe(40 + 12);

      // Every connection that was a member all along got each message once; sorted they are 1..total.
      await Promise.all(everyone.map((client) => waitForMessageCount(client, id, total)));
      await sentinel(owner, id, everyone);
      for (const client of everyone) {
        const seqs = client.messagesIn(id).map((f) => f.message.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(range(1, total + 1));
        expect(client.invalidFrames).toEqual([]);
      }
      // Resume: sync from 0 returns the same messages, in order, once, system ones included.
      const pages = await syncPages(watcher, id, 0, 7);
      const synced = pages.flatMap((page) => page.messages);
      expect(synced.map((m) => m.seq)).toEqual(range(1, total + 1));
      expect(synced.slice(0, total)).toEqual(stored);
    });

    it("5. a removed member's connections each get conversation_removed, then nothing more, while others keep sending", async () => {
      const bobId = uid("bob");
      // In a cluster, consecutive connections land on consecutive instances: bob's three are on three of them.
      const [alice, carol, bob1, bob2, bob3] = await connect(uid("alice"), uid("carol"), bobId, bobId, bobId);
      if (!alice || !carol || !bob1 || !bob2 || !bob3) throw new Error("connect");
      const bobs = [bob1, bob2, bob3];
      const group = await alice.api(g.server).createGroup("removal", [carol.userId, bobId]);
      const id = group.id;
      const aliceToBob = await alice.api(g.server).createDirect(bobId);
      const carolToBob = await carol.api(g.server).createDirect(bobId);
      // Every instance's membership cache knows bob (sends from each of his connections).
      for (const bob of bobs) expectAck(await bob.sendText(id, "warm"));

      // Alice and carol keep sending (and typing, and reading) until told to stop.
      let sending = true;
      const keepSending = async (client: TestClient) => {
        let sent = 0;
        while (sending) {
          client.sendRaw(JSON.stringify({ type: "typing", conversationId: id }));
          const ack = expectAck(await client.sendText(id, `${client.userId} ${++sent}`));
          client.sendRaw(JSON.stringify({ type: "read", conversationId: id, seq: ack.seq }));
        }
        return sent;
      };
      const senders = [keepSending(alice), keepSending(carol)];
      await waitForMessageCount(bob1, id, 10);
      const removed = await alice.api(g.server).removeMember(id, bobId);
      expect(removed?.memberIds).toEqual([alice.userId, carol.userId]);
      // Every one of bob's connections hears of it; from that frame on it must get nothing of the conversation.
      const marks = await Promise.all(
        bobs.map(async (bob) => {
          const frame = await bob.waitFor((f) => f.type === "conversation_removed");
          expect(frame).toEqual({ type: "conversation_removed", conversationId: id, reason: "removed" });
          return bob.frames.indexOf(frame) + 1;
        }),
      );
      // Requests after the removal: refused on every instance.
      for (const bob of bobs) {
        expectError(await bob.sendText(id, "still here?"), "forbidden");
        expectError(await bob.request({ type: "sync", conversationId: id, afterSeq: 0 }), "forbidden");
        expectError(await bob.request({ type: "read", id: "r", conversationId: id, seq: 1 }), "forbidden");
        expect((await bob.api(g.server).raw("GET", `/v1/conversations/${id}/messages`)).status).toBe(403);
      }
      expect((await bob1.api(g.server).conversations()).map((c) => c.id)).not.toContain(id);
      // Let alice and carol send a while longer, then stop; sentinels from both flush what was on its way.
      const stopAt = (await g.reader.getConversation(id))?.lastSeq ?? 0;
      await waitForMessageCount(alice, id, stopAt + 20);
      sending = false;
      const counts = await Promise.all(senders);
      expect(counts.every((n) => n > 0)).toBe(true);
      await sentinel(alice, aliceToBob.id, bobs);
      await sentinel(carol, carolToBob.id, bobs);
      for (const [i, bob] of bobs.entries()) {
        expect(bob.frames.slice(marks[i]).filter((f) => isAbout(f, id))).toEqual([]);
        expect(bob.frames.filter((f) => f.type === "conversation_removed")).toHaveLength(1);
      }
      // The removal is a system message the others got, once; bob's own removal never reached him.
      const stored = await storedMessages(g.reader, id);
      const removal = stored.filter((m) => m.body.kind === "system");
      expect(removal.map((m) => m.body)).toEqual([{ kind: "system", event: "member_removed", userIds: [bobId] }]);
      for (const bob of bobs) {
        expect(bob.messagesIn(id).map((f) => f.message.id)).not.toContain(removal[0]?.id);
      }
      expect(stored.map((m) => m.seq)).toEqual(range(1, stored.length));
      // Nothing bob sent after the removal was stored.
      expect(stored.filter((m) => m.senderId === bobId).map((m) => m.body)).toEqual(
        bobs.map(() => ({ kind: "text", text: "warm" })),
      );
    });
  });
}
