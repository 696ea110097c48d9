import { Limits } from "@mpchat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { GroupFullError } from "../../src/store/errors";
import type { Store } from "../../src/store/store";
import { type ContractContext, input, stored, text, uid } from "./contract-support";

/** Conversations, members, read cursors and views (called from storeContract). */
export function conversationContract(ctx: ContractContext): void {
  describe("conversations", () => {
    let store: Store;
    const { users, group } = ctx;
    const [alice, bob, carol, dave] = users;

    beforeAll(() => {
      store = ctx.store();
    });

    it("counts unread as others' messages after the read cursor; sending moves the sender's cursor", async () => {
      const g = await group([alice, bob, carol]);
      await store.appendMessages([input(g.id, alice, "1"), input(g.id, alice, "2"), input(g.id, alice, "3")]);
      const view = (u: string) => store.getConversationView(g.id, u);
      expect(await view(alice)).toMatchObject({ lastSeq: 3, readSeq: 3, unread: 0 });
      expect(await view(bob)).toMatchObject({ lastSeq: 3, readSeq: 0, unread: 3 });
      expect(await store.markRead(g.id, bob, 2)).toBe(2);
      expect(await view(bob)).toMatchObject({ readSeq: 2, unread: 1 });
      expect(await store.markRead(g.id, bob, 1)).toBe(2); // never backwards
      expect(await store.markRead(g.id, bob, 99)).toBe(3); // clamped to lastSeq
      expect(await view(bob)).toMatchObject({ readSeq: 3, unread: 0 });
      const [sent] = await store.appendMessages([input(g.id, bob, "4")]);
      expect(stored(sent).seq).toBe(4);
      expect(await view(bob)).toMatchObject({ readSeq: 4, unread: 0, lastMessage: stored(sent) });
      expect(await view(alice)).toMatchObject({ readSeq: 3, unread: 1 });
      expect(await view(carol)).toMatchObject({ readSeq: 0, unread: 4 });
      expect(await view(dave)).toBeNull();
    });

    it("lists every member's read cursor in each view, in join order, from one listing", async () => {
      const g = await group([alice, bob, carol]);
      const d = (await store.getOrCreateDirect({ id: uid("d"), a: alice, b: dave, now: Date.now() })).conversation;
      await store.appendMessages([input(g.id, alice, "1"), input(g.id, alice, "2"), input(d.id, alice, "x")]);
      const cursorsIn = async (conversationId: string) =>
        (await store.listConversations(alice)).find((c) => c.id === conversationId)?.memberReadSeqs;
      expect(await cursorsIn(g.id)).toEqual([
        { userId: alice, readSeq: 2 },
        { userId: bob, readSeq: 0 },
        { userId: carol, readSeq: 0 },
      ]);
      expect(await store.markRead(g.id, bob, 1)).toBe(1);
      expect(await store.markRead(d.id, dave, 1)).toBe(1);
      // Alice's fresh listing sees bob's cursor; carol has read nothing.
      expect(await cursorsIn(g.id)).toEqual([
        { userId: alice, readSeq: 2 },
        { userId: bob, readSeq: 1 },
        { userId: carol, readSeq: 0 },
      ]);
      expect(await cursorsIn(d.id)).toEqual(
        expect.arrayContaining([
          { userId: alice, readSeq: 1 },
          { userId: dave, readSeq: 1 },
        ]),
      );
      // The single view agrees, and the members listed match memberIds.
      const single = await store.getConversationView(g.id, carol);
      expect(single?.memberReadSeqs.map((m) => m.userId)).toEqual(single?.memberIds);
      expect(single?.memberReadSeqs.find((m) => m.userId === bob)?.readSeq).toBe(1);
    });

    it("creates a direct conversation once, also when asked concurrently from both sides", async () => {
      const a = uid("da");
      const b = uid("db");
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          store.getOrCreateDirect({ id: uid("d"), a: i % 2 ? a : b, b: i % 2 ? b : a, now: Date.now() }),
        ),
      );
      const ids = new Set(answers.map((x) => x.conversation.id));
      expect(ids.size).toBe(1);
      expect(answers.filter((x) => x.created)).toHaveLength(1);
      const [only] = answers;
      expect(only?.conversation.kind).toBe("direct");
      expect([...(only?.conversation.memberIds ?? [])].sort()).toEqual([a, b].sort());
      expect(await store.isMember(only?.conversation.id ?? "", a)).toBe(true);
      expect(await store.isMember(only?.conversation.id ?? "", carol)).toBe(false);
    });

    it("lists a user's conversations by recent activity with members in join order", async () => {
      const u = uid("lister");
      await store.upsertUser({ id: u, name: "L" });
      const older = await store.createGroup({ id: uid("g"), title: "older", memberIds: [u, carol], now: 1000 });
      const newer = await store.createGroup({ id: uid("g"), title: "newer 新", memberIds: [bob, u, bob], now: 2000 });
      let list = await store.listConversations(u);
      expect(list.map((c) => c.id)).toEqual([newer.id, older.id]);
      expect(list[0]).toMatchObject({ title: "newer 新", kind: "group", memberIds: [bob, u], unread: 0, readSeq: 0 });
      expect(list[0]?.lastMessage).toBeUndefined();
      await store.appendMessages([{ ...input(older.id, carol, "wake up"), createdAt: 3000 }]);
      list = await store.listConversations(u);
      expect(list.map((c) => c.id)).toEqual([older.id, newer.id]);
      expect(list[0]).toMatchObject({ lastSeq: 1, unread: 1, updatedAt: 3000 });
      expect(list[0]?.lastMessage?.body).toEqual(text("wake up"));
      expect((await store.contactsOf(u)).sort()).toEqual([bob, carol].sort());
    });

    it("adds members once, in join order, and reports a missing conversation", async () => {
      const g = await group([alice, bob]);
      const after = await store.addMembers(g.id, [carol, alice, dave, carol], Date.now());
      expect(after?.memberIds).toEqual([alice, bob, carol, dave]);
      expect((await store.getConversation(g.id))?.memberIds).toEqual([alice, bob, carol, dave]);
      expect(await store.addMembers(uid("none"), [carol], Date.now())).toBeNull();
      expect(await store.getConversation(uid("none"))).toBeNull();
    });

    it("refuses a group past MAX_GROUP_MEMBERS, all or nothing, at creation and when adding", async () => {
      const many = (n: number, prefix = uid("crowd")) => Array.from({ length: n }, (_, i) => `${prefix}_${i}`);
      const tooBig = uid("g");
      await expect(
        store.createGroup({ id: tooBig, title: "big", memberIds: many(Limits.MAX_GROUP_MEMBERS + 1), now: 1 }),
      ).rejects.toBeInstanceOf(GroupFullError);
      expect(await store.getConversation(tooBig)).toBeNull();
      // Repeats count once: 1000 distinct members fit.
      const crowd = many(Limits.MAX_GROUP_MEMBERS - 10);
      const g = await group([...crowd, ...crowd.slice(0, 5)]);
      expect(g.memberIds).toHaveLength(Limits.MAX_GROUP_MEMBERS - 10);
      const eleven = many(11);
      await expect(store.addMembers(g.id, eleven, Date.now())).rejects.toBeInstanceOf(GroupFullError);
      expect((await store.getConversation(g.id))?.memberIds).toEqual(crowd);
      expect(await store.isMember(g.id, eleven[0] ?? "")).toBe(false);
      // Members already in do not count again; exactly the limit fits.
      const after = await store.addMembers(g.id, [...crowd.slice(0, 3), ...eleven.slice(0, 10)], Date.now());
      expect(after?.memberIds).toHaveLength(Limits.MAX_GROUP_MEMBERS);
      expect(await store.addMembers(g.id, [crowd[0] ?? ""], Date.now())).toMatchObject({ id: g.id });
      await expect(store.addMembers(g.id, [uid("one-more")], Date.now())).rejects.toBeInstanceOf(GroupFullError);
      expect((await store.getConversation(g.id))?.memberIds).toHaveLength(Limits.MAX_GROUP_MEMBERS);
    });

    it("holds the member limit under concurrent adds: the adds that fit commit whole, the others add nobody", async () => {
      const g = await group(Array.from({ length: 500 }, (_, i) => uid(`base${i}_`)));
      const sets = Array.from({ length: 10 }, (_, s) => Array.from({ length: 60 }, (_, i) => uid(`add${s}_${i}_`)));
      const outcomes = await Promise.allSettled(sets.map((ids) => store.addMembers(g.id, ids, Date.now())));
      const after = await store.getConversation(g.id);
      const memberSet = new Set(after?.memberIds);
      // 500 + 8 × 60 = 980 fit; a ninth would make 1040.
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(8);
      expect(after?.memberIds).toHaveLength(980);
      for (const [s, outcome] of outcomes.entries()) {
        const ids = sets[s] ?? [];
        if (outcome.status === "rejected") {
          expect(outcome.reason).toBeInstanceOf(GroupFullError);
          expect(ids.filter((id) => memberSet.has(id))).toEqual([]);
        } else {
          expect(ids.every((id) => memberSet.has(id))).toBe(true);
        }
      }
    });

    it("removes a member: gone from the list, views, contacts and membership; may join again at the end", async () => {
      const [x, y, z] = [uid("rx"), uid("ry"), uid("rz")];
      const g = await group([x, y, z]);
      await store.appendMessages([input(g.id, x, "before removal")]);
      const after = await store.removeMember(g.id, y, Date.now());
      expect(after?.memberIds).toEqual([x, z]);
      expect((await store.getConversation(g.id))?.memberIds).toEqual([x, z]);
      expect(await store.isMember(g.id, y)).toBe(false);
      expect(await store.getConversationView(g.id, y)).toBeNull();
      expect((await store.listConversations(y)).map((c) => c.id)).not.toContain(g.id);
      expect((await store.getConversationView(g.id, x))?.memberReadSeqs.map((m) => m.userId)).toEqual([x, z]);
      expect(await store.contactsOf(y)).toEqual([]);
      // Removing a non-member changes nothing; a missing conversation is null.
      expect((await store.removeMember(g.id, y, Date.now()))?.memberIds).toEqual([x, z]);
      expect(await store.removeMember(uid("none"), x, Date.now())).toBeNull();
      expect((await store.addMembers(g.id, [y], Date.now()))?.memberIds).toEqual([x, z, y]);
    });

    it("answers every member's cursor and unread count in one call, with the shared view", async () => {
      const [x, y, z] = [uid("sx"), uid("sy"), uid("sz")];
      const g = await group([x, y, z]);
      await store.appendMessages([input(g.id, x, "1"), input(g.id, y, "2"), input(g.id, x, "3")]);
      await store.markRead(g.id, z, 1);
      const snapshot = await store.getConversationMembers(g.id);
      expect(snapshot?.members).toEqual([
        { userId: x, readSeq: 3, unread: 0, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
        { userId: y, readSeq: 2, unread: 1, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
        { userId: z, readSeq: 1, unread: 2, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
      ]);
      // The shared part is what every member's own view has besides readSeq and unread.
      for (const m of snapshot?.members ?? []) {
        const { readSeq, unread, lastMentionSeq, settings, ...shared } =
          (await store.getConversationView(g.id, m.userId)) ?? {};
        expect(shared).toEqual(snapshot?.conversation);
        expect({ readSeq, unread, lastMentionSeq, settings }).toEqual({
          readSeq: m.readSeq,
          unread: m.unread,
          lastMentionSeq: m.lastMentionSeq,
          settings: m.settings,
        });
      }
      expect(await store.getConversationMembers(uid("none"))).toBeNull();
    });
  });
}
