import type { Conversation } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { TestClient } from "../support/client";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import { expectAck, range, sentinel, TEST_TIMEOUT, uid } from "./scenario";

interface ViewExpectation {
  lastSeq: number;
  readSeq: number;
  unread: number;
}

/** A direct conversation is created once per pair; `unread` and read cursors follow sends and reads. */
export function describeConversationsAndUnread(kind: SuiteKind): void {
  describe("direct conversations and unread counts", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind);
    const { connect } = g;

    const postDirect = async (from: TestClient, peer: TestClient) => {
      const answer = await from.api(g.server).raw("POST", "/v1/conversations", { kind: "direct", peerId: peer.userId });
      return { status: answer.status, id: (answer.body as { conversation?: Conversation }).conversation?.id };
    };

    it("8. a direct conversation asked for twice, from either side, is one conversation (201, then 200)", async () => {
      const [p, q] = await connect(uid("p"), uid("q"));
      if (!p || !q) throw new Error("connect");
      const first = await postDirect(p, q);
      const again = await postDirect(p, q);
      const fromPeer = await postDirect(q, p);
      expect(first.status).toBe(201);
      expect([again, fromPeer]).toEqual([
        { status: 200, id: first.id },
        { status: 200, id: first.id },
      ]);
    });

    it("8. ten concurrent requests from both sides create one conversation: one 201, nine 200, same id", async () => {
      const [r, s] = await connect(uid("r"), uid("s"));
      if (!r || !s) throw new Error("connect");
      const answers = await Promise.all(range(1, 10).map((i) => (i % 2 === 0 ? postDirect(r, s) : postDirect(s, r))));
      const [{ id } = { id: undefined }] = answers;
      expect(id).toEqual(expect.any(String));
      expect(answers.map((a) => a.id)).toEqual(range(1, 10).map(() => id));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      const directs = (await g.reader.listConversations(r.userId)).filter((c) => c.kind === "direct");
      expect(directs.map((c) => [c.id, [...c.memberIds].sort()])).toEqual([[id, [r.userId, s.userId].sort()]]);
      // Each side was told about it once.
      await sentinel(r, id as string, [r, s]);
      for (const client of [r, s]) {
        expect(client.frames.filter((f) => f.type === "conversation" && f.conversation.id === id)).toHaveLength(1);
      }
    });

    it("9. every Conversation carries every member's read cursor: a fresh list shows what the peer read", async () => {
      const [alice, bob, carol] = await connect(uid("alice"), uid("bob"), uid("carol"));
      if (!alice || !bob || !carol) throw new Error("connect");
      const direct = await alice.api(g.server).createDirect(bob.userId);
      expect(direct.memberReadSeqs).toEqual(
        expect.arrayContaining([
          { userId: alice.userId, readSeq: 0 },
          { userId: bob.userId, readSeq: 0 },
        ]),
      );
      const announced = await bob.waitFor((f) => f.type === "conversation" && f.conversation.id === direct.id);
      expect(announced.type === "conversation" && announced.conversation.memberReadSeqs).toHaveLength(2);
      expectAck(await alice.sendText(direct.id, "one"));
      expectAck(await alice.sendText(direct.id, "two"));
      const cursorsSeenBy = async (client: TestClient, conversationId: string) => {
        const listed = (await client.api(g.server).conversations()).find((c) => c.id === conversationId);
        return Object.fromEntries((listed?.memberReadSeqs ?? []).map((m) => [m.userId, m.readSeq]));
      };
      // Sending moved alice's own cursor; bob has read nothing yet.
      expect(await cursorsSeenBy(alice, direct.id)).toEqual({ [alice.userId]: 2, [bob.userId]: 0 });
      expect(await bob.request({ type: "read", conversationId: direct.id, seq: 2 })).toMatchObject({ type: "ok" });
      // A client that starts now (a fresh list, no receipt seen) knows bob read both.
      expect(await cursorsSeenBy(alice, direct.id)).toEqual({ [alice.userId]: 2, [bob.userId]: 2 });

      const group = await alice.api(g.server).createGroup("cursors", [bob.userId]);
      expectAck(await bob.sendText(group.id, "hi"));
      const grown = await alice.api(g.server).addMembers(group.id, [carol.userId]);
      // Alice's addition is her members_added system message (seq 2): her own cursor moved to it.
      expect(grown.memberReadSeqs).toEqual([
        { userId: alice.userId, readSeq: 2 },
        { userId: bob.userId, readSeq: 1 },
        { userId: carol.userId, readSeq: 0 },
      ]);
      const told = await carol.waitFor(
        (f) => f.type === "conversation" && f.conversation.id === group.id && f.conversation.memberIds.length === 3,
      );
      expect(told.type === "conversation" && told.conversation.memberReadSeqs).toEqual(grown.memberReadSeqs);
    });

    it("9. unread counts: others' messages count, own never do, sending and reading move the cursor (forward only, clamped), receipts reach the members", async () => {
      const [alice, bob, carol] = await connect(uid("alice"), uid("bob"), uid("carol"));
      if (!alice || !bob || !carol) throw new Error("connect");
      const members = { alice, bob, carol };
      const group = await alice.api(g.server).createGroup("unread", [bob.userId, carol.userId]);
      const expectViews = async (expected: Record<keyof typeof members, ViewExpectation>) => {
        for (const [name, client] of Object.entries(members)) {
          const want = expected[name as keyof typeof members];
          const listed = (await client.api(g.server).conversations()).find((c) => c.id === group.id);
          expect(listed && { lastSeq: listed.lastSeq, readSeq: listed.readSeq, unread: listed.unread }, name).toEqual(
            want,
          );
          const stored = await g.reader.getConversationView(group.id, client.userId);
          expect(stored && { lastSeq: stored.lastSeq, readSeq: stored.readSeq, unread: stored.unread }, name).toEqual(
            want,
          );
        }
      };
      const read = async (client: TestClient, seq: number, expectedCursor: number) => {
        expect(await client.request({ type: "read", conversationId: group.id, seq })).toMatchObject({ type: "ok" });
        for (const other of Object.values(members).filter((m) => m !== client)) {
          await other.waitFor((f) => f.type === "receipt" && f.userId === client.userId && f.seq === expectedCursor);
        }
      };
      const sendAll = async (client: TestClient, count: number) => {
        for (let i = 0; i < count; i++) expectAck(await client.sendText(group.id, `${client.userId} ${i}`));
      };

      await expectViews({
        alice: { lastSeq: 0, readSeq: 0, unread: 0 },
        bob: { lastSeq: 0, readSeq: 0, unread: 0 },
        carol: { lastSeq: 0, readSeq: 0, unread: 0 },
      });
      await sendAll(bob, 3); // seqs 1..3
      await expectViews({
        alice: { lastSeq: 3, readSeq: 0, unread: 3 },
        bob: { lastSeq: 3, readSeq: 3, unread: 0 },
        carol: { lastSeq: 3, readSeq: 0, unread: 3 },
      });
      await sendAll(alice, 2); // seqs 4..5: alice's cursor moves past bob's too
      await expectViews({
        alice: { lastSeq: 5, readSeq: 5, unread: 0 },
        bob: { lastSeq: 5, readSeq: 3, unread: 2 },
        carol: { lastSeq: 5, readSeq: 0, unread: 5 },
      });
      await read(carol, 2, 2);
      await expectViews({
        alice: { lastSeq: 5, readSeq: 5, unread: 0 },
        bob: { lastSeq: 5, readSeq: 3, unread: 2 },
        carol: { lastSeq: 5, readSeq: 2, unread: 3 },
      });
      // Backwards is ignored: the cursor stays at 2.
      expect(await carol.request({ type: "read", conversationId: group.id, seq: 1 })).toMatchObject({ type: "ok" });
      expect((await g.reader.getConversationView(group.id, carol.userId))?.readSeq).toBe(2);
      // Past the end is clamped to lastSeq.
      await read(carol, 999, 5);
      await expectViews({
        alice: { lastSeq: 5, readSeq: 5, unread: 0 },
        bob: { lastSeq: 5, readSeq: 3, unread: 2 },
        carol: { lastSeq: 5, readSeq: 5, unread: 0 },
      });
      await sendAll(bob, 1); // seq 6
      await sendAll(alice, 3); // seqs 7..9: her own, and they move her cursor past bob's 6
      await expectViews({
        alice: { lastSeq: 9, readSeq: 9, unread: 0 },
        bob: { lastSeq: 9, readSeq: 6, unread: 3 },
        carol: { lastSeq: 9, readSeq: 5, unread: 4 },
      });
      await sendAll(carol, 1); // seq 10
      await read(bob, 8, 8);
      await expectViews({
        alice: { lastSeq: 10, readSeq: 9, unread: 1 },
        bob: { lastSeq: 10, readSeq: 8, unread: 2 },
        carol: { lastSeq: 10, readSeq: 10, unread: 0 },
      });
    });
  });
}
