import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../src/store/admin-records";
import { type ContractContext, uid } from "./contract-support";

/** Bans and the audit log (admin API): part of the Store contract (called from storeContract). */
export function adminStoreContract(ctx: ContractContext): void {
  describe("bans and the audit log", () => {
    it("keeps a ban with or without an end, replaces it, lifts it once; ids are case-sensitive", async () => {
      const store = ctx.store();
      const userId = uid("Banned_");
      expect(await store.getBan(userId)).toBeNull();
      await store.putBan({ userId, reason: "spam 垃圾信息 🚫", createdAt: 1_000 });
      expect(await store.getBan(userId)).toEqual({ userId, reason: "spam 垃圾信息 🚫", createdAt: 1_000 });
      expect(await store.getBan(userId.toLowerCase())).toBeNull();
      await store.putBan({ userId, reason: "again", createdAt: 2_000, untilMs: 9_000 });
      expect(await store.getBan(userId)).toEqual({ userId, reason: "again", createdAt: 2_000, untilMs: 9_000 });
      expect(await store.deleteBan(userId)).toBe(true);
      expect(await store.getBan(userId)).toBeNull();
      expect(await store.deleteBan(userId)).toBe(false);
    });

    it("bans of different users are independent", async () => {
      const store = ctx.store();
      const [a, b] = [uid("ban-a"), uid("ban-b")];
      await store.putBan({ userId: a, reason: "a", createdAt: 1 });
      await store.putBan({ userId: b, reason: "b", createdAt: 2, untilMs: 3 });
      expect(await store.deleteBan(a)).toBe(true);
      expect(await store.getBan(b)).toMatchObject({ reason: "b", untilMs: 3 });
    });

    it("lists audit entries newest first (in writing order, also within one millisecond), bounded by limit", async () => {
      const store = ctx.store();
      const target = uid("audited");
      const entries: AuditEntry[] = [
        { at: 5_000, actor: "127.0.0.1", action: "user.get", target, status: 200 },
        { at: 5_000, actor: "127.0.0.1", action: "user.ban", target, reason: "辱骂 abuse", status: 200 },
        { at: 5_000, actor: "::1", action: "audit.list", status: 200 },
        { at: 4_000, actor: "::1", action: "user.unban", target, status: 204 },
      ];
      for (const entry of entries) await store.appendAudit(entry);
      expect(await store.listAudit(4)).toEqual([...entries].reverse());
      expect(await store.listAudit(2)).toEqual([entries[3], entries[2]]);
      expect(await store.listAudit(1)).toEqual([entries[3]]);
    });
  });
}
