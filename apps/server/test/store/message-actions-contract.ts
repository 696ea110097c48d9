import type { Body } from "@mpchat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { GroupCommitter } from "../../src/store/group-commit";
import type { AppendInput, Store } from "../../src/store/store";
import { allMessages, type ContractContext, input, stored, uid } from "./contract-support";

function withBody(conversationId: string, senderId: string, body: Body, clientMsgId = uid("c")): AppendInput {
  return { id: uid("m"), conversationId, senderId, clientMsgId, body, createdAt: Date.now() };
}

/** Recall, unread of quiet messages, mentions and per-member settings (protocol 1.1; called from storeContract). */
export function messageActionsContract(ctx: ContractContext): void {
  describe("recall, mentions and settings", () => {
    let store: Store;
    const { users, group } = ctx;
    const [alice, bob, carol] = users;

    beforeAll(() => {
      store = ctx.store();
    });

    it("stores a recall at the next seq and turns the original into a recalled tombstone (seq, sender, time kept)", async () => {
      const g = await group([alice, bob]);
      const [a, b] = await store.appendMessages([input(g.id, alice, "oops"), input(g.id, bob, "stays")]);
      const original = stored(a);
      const recall = stored(
        (
          await store.appendMessages([withBody(g.id, alice, { kind: "recall", messageId: original.id, by: "sender" })])
        )[0],
      );
      expect(recall.seq).toBe(3);
      expect(recall.body).toEqual({ kind: "recall", messageId: original.id, by: "sender" });
      const after = await store.findMessage(original.id);
      expect(after).toEqual({ ...original, body: { kind: "recalled", by: "sender" } });
      expect(await store.findRecallOf(original.id)).toEqual(recall);
      expect(await store.findRecallOf(stored(b).id)).toBeNull();
      expect((await allMessages(store, g.id)).map((m) => m.body.kind)).toEqual(["recalled", "text", "recall"]);
      // lastMessage is the newest message whatever its kind.
      expect((await store.getConversationView(g.id, bob))?.lastMessage).toEqual(recall);
      expect(await store.findMessage("no-such-message")).toBeNull();
    });

    it("answers a second recall of one message with the first, across batches and within one", async () => {
      const g = await group([alice, bob]);
      const original = stored((await store.appendMessages([input(g.id, alice, "twice")]))[0]);
      const recallBody: Body = { kind: "recall", messageId: original.id, by: "sender" };
      const [first, sameBatch] = await store.appendMessages([
        withBody(g.id, alice, recallBody),
        withBody(g.id, bob, { ...recallBody, by: "admin" }),
      ]);
      const recall = stored(first);
      expect(sameBatch).toEqual({ status: "duplicate", message: recall });
      const [later] = await store.appendMessages([withBody(g.id, alice, recallBody)]);
      expect(later).toEqual({ status: "duplicate", message: recall });
      expect((await store.getConversation(g.id))?.lastSeq).toBe(2);
      expect((await store.findMessage(original.id))?.body).toEqual({ kind: "recalled", by: "sender" });
    });

    it("stores one recall when many race for the same message through the group committer", async () => {
      const g = await group([alice, bob]);
      const original = stored((await store.appendMessages([input(g.id, alice, "raced")]))[0]);
      const committer = new GroupCommitter(store, { maxBatch: 3, lanes: 2 });
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          committer.append(
            withBody(g.id, i % 2 ? alice : bob, { kind: "recall", messageId: original.id, by: "sender" }),
          ),
        ),
      );
      const storedOnes = results.filter((r) => r.status === "stored");
      expect(storedOnes).toHaveLength(1);
      const winner = stored(storedOnes[0]);
      for (const r of results)
        expect(r.status === "stored" ? r.message : r.status === "duplicate" && r.message).toEqual(winner);
      expect((await allMessages(store, g.id)).map((m) => m.seq)).toEqual([1, 2]);
    });

    it("counts neither recall messages nor recalled ones as unread", async () => {
      const g = await group([alice, bob]);
      const [one, two] = (await store.appendMessages([input(g.id, alice, "one"), input(g.id, alice, "two")])).map(
        stored,
      );
      expect((await store.getConversationView(g.id, bob))?.unread).toBe(2);
      await store.appendMessages([withBody(g.id, alice, { kind: "recall", messageId: one?.id ?? "", by: "sender" })]);
      const view = await store.getConversationView(g.id, bob);
      expect(view?.unread).toBe(1);
      expect(view?.lastSeq).toBe(3);
      const members = await store.getConversationMembers(g.id);
      expect(members?.members.find((m) => m.userId === bob)?.unread).toBe(1);
      expect((await store.listConversations(bob)).find((c) => c.id === g.id)?.unread).toBe(1);
      expect(two?.seq).toBe(2);
    });

    it("moves lastMentionSeq for mentioned members and, with mentionAll, for everyone; a recalled mention still counts", async () => {
      const g = await group([alice, bob, carol]);
      const [m1, , m3] = (
        await store.appendMessages([
          withBody(g.id, alice, { kind: "text", text: "@bob", mentions: [bob, bob] }),
          input(g.id, alice, "plain"),
          withBody(g.id, carol, { kind: "text", text: "@bob again", mentions: [bob] }),
        ])
      ).map(stored);
      const mentionOf = async (userId: string) => (await store.getConversationView(g.id, userId))?.lastMentionSeq;
      expect(await mentionOf(bob)).toBe(m3?.seq);
      expect(await mentionOf(carol)).toBe(0);
      expect(await mentionOf(alice)).toBe(0);
      const all = stored(
        (await store.appendMessages([withBody(g.id, alice, { kind: "text", text: "@all", mentionAll: true })]))[0],
      );
      for (const userId of [alice, bob, carol]) expect(await mentionOf(userId)).toBe(all.seq);
      await store.appendMessages([withBody(g.id, alice, { kind: "recall", messageId: all.id, by: "sender" })]);
      expect(await mentionOf(carol)).toBe(all.seq);
      const parts = (await store.getConversationMembers(g.id))?.members ?? [];
      expect(parts.map((p) => p.lastMentionSeq)).toEqual([all.seq, all.seq, all.seq]);
      expect(m1?.seq).toBe(1);
    });

    it("keeps each member's own settings: defaults, a partial change, a draft cleared, pinned first in the list", async () => {
      const older = await group([alice, bob], "older");
      const newer = await group([alice, bob], "newer");
      await store.appendMessages([input(newer.id, bob, "latest activity")]);
      const before = await store.getConversationView(older.id, alice);
      expect(before?.settings).toEqual({ pinned: false, muted: false });
      const pinned = await store.updateSettings(older.id, alice, { pinned: true, draft: "half a 句子 🙂" });
      expect(pinned?.settings).toEqual({ pinned: true, muted: false, draft: "half a 句子 🙂" });
      const muted = await store.updateSettings(older.id, alice, { muted: true });
      expect(muted?.settings).toEqual({ pinned: true, muted: true, draft: "half a 句子 🙂" });
      expect((await store.updateSettings(older.id, alice, { draft: "" }))?.settings).toEqual({
        pinned: true,
        muted: true,
      });
      expect((await store.updateSettings(older.id, alice, {}))?.settings).toEqual({ pinned: true, muted: true });
      // Bob's view is his own.
      expect((await store.getConversationView(older.id, bob))?.settings).toEqual({ pinned: false, muted: false });
      const parts = (await store.getConversationMembers(older.id))?.members ?? [];
      expect(parts.map((p) => p.settings.pinned)).toEqual([true, false]);
      const aliceIds = (await store.listConversations(alice)).map((c) => c.id);
      expect(aliceIds.indexOf(older.id)).toBe(0);
      expect(aliceIds.indexOf(newer.id)).toBeLessThan(aliceIds.indexOf(older.id) + 2);
      const bobIds = (await store.listConversations(bob)).map((c) => c.id);
      expect(bobIds.indexOf(newer.id)).toBeLessThan(bobIds.indexOf(older.id));
      expect(await store.updateSettings(older.id, carol, { pinned: true })).toBeNull();
      expect(await store.updateSettings("no-such-conversation", alice, { pinned: true })).toBeNull();
    });
  });
}
