import { describe, expect, it } from "vitest";
import type { ReportRecord } from "../../src/store/safety-records";
import { type ContractContext, input, stored, uid } from "./contract-support";

/** Blocks, reports and findMessage: part of the Store contract (called from storeContract). */
export function safetyStoreContract(ctx: ContractContext): void {
  describe("blocks and reports", () => {
    it("stores a block once, even when added twice at once; lists newest first; removes it", async () => {
      const store = ctx.store();
      const blocker = uid("blocker");
      const [first, second, third] = [uid("b"), uid("b"), uid("b")];
      if (!first || !second || !third) throw new Error("ids");
      const added = await Promise.all([
        store.addBlock({ blockerId: blocker, blockedId: first, createdAt: 1_000 }),
        store.addBlock({ blockerId: blocker, blockedId: first, createdAt: 1_001 }),
      ]);
      expect(added.map((a) => a.created).sort()).toEqual([false, true]);
      const kept = added.find((a) => a.created)?.block;
      expect(added.map((a) => a.block)).toEqual([kept, kept]);
      await store.addBlock({ blockerId: blocker, blockedId: second, createdAt: 3_000 });
      await store.addBlock({ blockerId: blocker, blockedId: third, createdAt: 2_000 });
      expect((await store.listBlocks(blocker)).map((b) => b.blockedId)).toEqual([second, third, first]);
      // One way only, and case-sensitive
      expect(await store.listBlocks(first)).toEqual([]);
      expect(await store.listBlocks(blocker.toUpperCase())).toEqual([]);
      expect(await store.removeBlock(blocker, third)).toBe(true);
      expect(await store.removeBlock(blocker, third)).toBe(false);
      expect(await store.removeBlock(third, blocker)).toBe(false);
      expect((await store.listBlocks(blocker)).map((b) => b.blockedId)).toEqual([second, first]);
    });

    it("blockersAmong: who among the candidates blocked a user", async () => {
      const store = ctx.store();
      const target = uid("target");
      const [a, b, c] = [uid("a"), uid("b"), uid("c")];
      if (!a || !b || !c) throw new Error("ids");
      await store.addBlock({ blockerId: a, blockedId: target, createdAt: 1 });
      await store.addBlock({ blockerId: c, blockedId: target, createdAt: 2 });
      await store.addBlock({ blockerId: target, blockedId: b, createdAt: 3 });
      expect((await store.blockersAmong(target, [a, b, c, uid("nobody")])).sort()).toEqual([a, c].sort());
      expect(await store.blockersAmong(target, [b])).toEqual([]);
      expect(await store.blockersAmong(b, [target])).toEqual([target]);
      expect(await store.blockersAmong(target, [])).toEqual([]);
    });

    it("blockersAmong asked many times at once (one query for the turn) answers each lookup for itself", async () => {
      const store = ctx.store();
      // 600 pairs, more than one query's share: each sender's peer blocked every third sender.
      const senders = Array.from({ length: 600 }, (_, i) => uid(`s${i}`));
      const peers = senders.map((_, i) => uid(`p${i}`));
      for (let i = 0; i < senders.length; i += 3)
        await store.addBlock({ blockerId: peers[i] as string, blockedId: senders[i] as string, createdAt: i });
      // A block in the other direction (the sender blocked the peer) must not count.
      await store.addBlock({ blockerId: senders[1] as string, blockedId: peers[1] as string, createdAt: 1 });
      const answers = await Promise.all([
        ...senders.map((sender, i) => store.blockersAmong(sender, [peers[i] as string])),
        store.blockersAmong(senders[0] as string, [peers[0] as string, peers[1] as string, peers[3] as string]),
      ]);
      expect(answers.slice(0, senders.length)).toEqual(senders.map((_, i) => (i % 3 === 0 ? [peers[i]] : [])));
      expect(answers[senders.length]).toEqual([peers[0]]);
    });

    it("stores reports with a copy of the message, lists them by status, newest first", async () => {
      const store = ctx.store();
      const [alice, bob] = ctx.users;
      const group = await ctx.group([alice, bob]);
      const message = stored((await store.appendMessages([input(group.id, bob, "举报我 🌶️ \"'<b>")]))[0]);
      expect(await store.findMessage(message.id)).toEqual(message);
      expect(await store.findMessage(uid("no-message"))).toBeNull();
      const full: ReportRecord = {
        id: uid("r"),
        reporterId: alice,
        conversationId: group.id,
        messageId: message.id,
        userId: bob,
        reason: "spam\n多行 理由 🙈",
        message,
        status: "open",
        createdAt: 5_000,
      };
      const bare: ReportRecord = {
        id: uid("r"),
        reporterId: bob,
        conversationId: group.id,
        reason: "other",
        status: "resolved",
        createdAt: 6_000,
        resolvedAt: 7_000,
        note: "handled",
      };
      expect(await store.createReport(full)).toEqual(full);
      await store.createReport(bare);
      await expect(store.createReport(full)).rejects.toThrow();
      const all = await store.listReports({ limit: 1000 });
      const ours = all.filter((r) => r.conversationId === group.id);
      expect(ours).toEqual([bare, full]);
      const open = await store.listReports({ status: "open", limit: 1000 });
      expect(open.filter((r) => r.conversationId === group.id)).toEqual([full]);
      expect(open.every((r) => r.status === "open")).toBe(true);
      expect((await store.listReports({ limit: 1 })).length).toBe(1);
    });

    it("resolves an open report once, with or without a note; null for an unknown one", async () => {
      const store = ctx.store();
      const [alice, bob] = ctx.users;
      const group = await ctx.group([alice, bob]);
      const base = { reporterId: alice, conversationId: group.id, reason: "spam", status: "open" as const };
      const noted: ReportRecord = { ...base, id: uid("r"), createdAt: 1_000 };
      const plain: ReportRecord = { ...base, id: uid("r"), createdAt: 2_000 };
      await store.createReport(noted);
      await store.createReport(plain);
      const note = "处理了 🙈 \"'<b>\n两行";
      const resolved = await store.resolveReport(noted.id, { resolvedAt: 3_000, note });
      expect(resolved).toEqual({ ...noted, status: "resolved", resolvedAt: 3_000, note });
      expect(await store.resolveReport(plain.id, { resolvedAt: 4_000 })).toEqual({
        ...plain,
        status: "resolved",
        resolvedAt: 4_000,
      });
      // A second resolution changes nothing.
      expect(await store.resolveReport(noted.id, { resolvedAt: 9_000, note: "again" })).toEqual(resolved);
      expect(await store.resolveReport(uid("no-report"), { resolvedAt: 5_000 })).toBeNull();
      const open = await store.listReports({ status: "open", limit: 1000 });
      expect(open.filter((r) => r.conversationId === group.id)).toEqual([]);
      const done = await store.listReports({ status: "resolved", limit: 1000 });
      expect(done.filter((r) => r.conversationId === group.id).map((r) => r.id)).toEqual([plain.id, noted.id]);
    });
  });
}
