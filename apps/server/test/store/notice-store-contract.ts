import { describe, expect, it } from "vitest";
import { MAX_NOTICE_CREDITS } from "../../src/store/notice-records";
import { type ContractContext, uid } from "./contract-support";

/** The subscription ledger and the notice marks: part of the Store contract (called from storeContract). */
export function noticeStoreContract(ctx: ContractContext): void {
  describe("offline notices", () => {
    it("adds credits per user and template (concurrent reports all count), lists them, caps them", async () => {
      const store = ctx.store();
      const user = uid("subscriber");
      const [t1, t2] = [uid("T_"), uid("T_")];
      expect(await store.listNoticeCredits(user)).toEqual([]);
      expect(await store.addNoticeCredits(user, t1, 1)).toBe(1);
      const concurrent = await Promise.all([1, 2, 3].map((n) => store.addNoticeCredits(user, t2, n)));
      expect(Math.max(...concurrent)).toBe(6);
      expect(await store.addNoticeCredits(user, t1, 0)).toBe(1);
      expect(await store.addNoticeCredits(user, t1, 2)).toBe(3);
      expect(await store.listNoticeCredits(user)).toEqual(
        [
          { templateId: t1, credits: 3 },
          { templateId: t2, credits: 6 },
        ].sort((a, b) => (a.templateId < b.templateId ? -1 : 1)),
      );
      // Case-sensitive ids: another user, another template
      expect(await store.listNoticeCredits(user.toUpperCase())).toEqual([]);
      expect(await store.addNoticeCredits(user, t1.toLowerCase(), 1)).toBe(1);
      const capped = uid("capped");
      await store.addNoticeCredits(capped, t1, MAX_NOTICE_CREDITS);
      expect(await store.addNoticeCredits(capped, t1, 5)).toBe(MAX_NOTICE_CREDITS);
      await store.zeroNoticeCredits(user, t1);
      expect(await store.listNoticeCredits(user)).toContainEqual({ templateId: t1, credits: 0 });
      await store.zeroNoticeCredits(uid("nobody"), t1); // no row: nothing to do, no error
    });

    it("claims one notice per (member, conversation) until the marks are cleared; one credit each", async () => {
      const store = ctx.store();
      const [alice, bob, carol] = ctx.users;
      const template = uid("T_");
      const first = await ctx.group([alice, bob, carol]);
      const second = await ctx.group([alice, bob]);
      await store.addNoticeCredits(bob, template, 2);
      // carol has no credit, alice's are of another template
      await store.addNoticeCredits(alice, uid("T_"), 5);
      const candidates = await store.noticeCandidates(first.id, template, [alice, bob, carol, uid("stranger")]);
      expect(candidates).toEqual([{ userId: bob, readSeq: expect.any(Number) }]);
      expect(await store.noticeCandidates(first.id, template, [])).toEqual([]);

      const claim = { userId: bob, conversationId: first.id, templateId: template, at: 1_000 };
      // Ten claims at once (as several instances would make them): one wins
      const results = await Promise.all(Array.from({ length: 10 }, () => store.claimNotice(claim)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.listNoticeCredits(bob)).toContainEqual({ templateId: template, credits: 1 });
      expect(await store.noticeCandidates(first.id, template, [bob])).toEqual([]);
      expect(await store.noticeCandidates(second.id, template, [bob])).toHaveLength(1);

      // Another conversation takes the last credit; then there is none left
      expect(await store.claimNotice({ ...claim, conversationId: second.id })).toBe(true);
      expect(await store.listNoticeCredits(bob)).toContainEqual({ templateId: template, credits: 0 });
      await store.clearNoticeMarks(bob);
      expect(await store.claimNotice(claim)).toBe(false);
      expect(await store.noticeCandidates(first.id, template, [bob])).toEqual([]);
      // No credit row at all
      expect(await store.claimNotice({ ...claim, userId: carol })).toBe(false);

      // Credits again: a new spell (marks cleared) may claim again
      await store.addNoticeCredits(bob, template, 1);
      expect(await store.claimNotice(claim)).toBe(true);
      expect(await store.claimNotice(claim)).toBe(false);
    });

    it("two users' claims are independent; concurrent claims never use more credits than there are", async () => {
      const store = ctx.store();
      const [alice, bob, carol, dave] = ctx.users;
      const template = uid("T_");
      const groups = await Promise.all([1, 2, 3, 4].map(() => ctx.group([alice, bob, carol, dave])));
      await store.addNoticeCredits(carol, template, 2);
      await store.addNoticeCredits(dave, template, 1);
      const claims = groups.flatMap((group) =>
        [carol, dave].map((userId) =>
          store.claimNotice({ userId, conversationId: group.id, templateId: template, at: 5 }),
        ),
      );
      const won = (await Promise.all(claims)).filter(Boolean).length;
      expect(won).toBe(3);
      expect(await store.listNoticeCredits(carol)).toContainEqual({ templateId: template, credits: 0 });
      expect(await store.listNoticeCredits(dave)).toContainEqual({ templateId: template, credits: 0 });
    });

    it("releases a claim whose notice did not go out: mark gone, credit back, once", async () => {
      const store = ctx.store();
      const [alice, bob] = ctx.users;
      const template = uid("T_");
      const group = await ctx.group([alice, bob]);
      await store.addNoticeCredits(alice, template, 1);
      const claim = { userId: alice, conversationId: group.id, templateId: template };
      expect(await store.claimNotice({ ...claim, at: 1 })).toBe(true);
      await store.releaseNotice(claim);
      await store.releaseNotice(claim); // no mark any more: nothing given back twice
      expect(await store.listNoticeCredits(alice)).toContainEqual({ templateId: template, credits: 1 });
      expect(await store.claimNotice({ ...claim, at: 2 })).toBe(true);
    });
  });
}
