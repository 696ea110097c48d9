import type { SystemBody } from "@mpchat/protocol";
import { Limits } from "@mpchat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { GroupFullError } from "../../src/store/errors";
import type { GroupChange, Store, SystemMessageInput } from "../../src/store/store";
import { allMessages, type ContractContext, input, stored, uid } from "./contract-support";

/** changeGroup: roles, group state and system messages in one transaction (called from storeContract). */
export function groupContract(ctx: ContractContext): void {
  describe("group changes", () => {
    let store: Store;
    beforeAll(() => {
      store = ctx.store();
    });
    const system = (senderId: string, body: SystemBody, createdAt = Date.now()): SystemMessageInput => {
      const id = uid("s");
      return { id, senderId, clientMsgId: `system-${id}`, body, createdAt };
    };
    const members = () => [uid("o"), uid("a"), uid("m")] as const;

    it("creates groups owned by their creator, with no admins, mutes or announcement", async () => {
      const [o, a, m] = members();
      const g = await ctx.group([o, a, m]);
      expect(g).toMatchObject({ ownerId: o, adminIds: [], mutes: [], mutedAllUntil: 0 });
      expect(g.announcement).toBeUndefined();
      expect(g.dissolvedAt).toBeUndefined();
      expect(await store.getConversation(g.id)).toEqual(g);
      const direct = await store.getOrCreateDirect({ id: uid("d"), a: o, b: a, now: Date.now() });
      expect(direct.conversation.ownerId).toBeUndefined();
      expect(direct.conversation.adminIds).toEqual([]);
    });

    it("applies every mutation and appends the system messages at the next seqs, dense and in order", async () => {
      const [o, a, m] = members();
      const g = await ctx.group([o, a, m]);
      await store.appendMessages([input(g.id, m, "hello")]);
      const now = Date.now();
      const seen: number[] = [];
      const result = await store.changeGroup(
        g.id,
        (current): GroupChange => {
          seen.push(current.lastSeq);
          return {
            mutations: [
              { kind: "set_title", title: "new title" },
              { kind: "set_announcement", announcement: "📢 <b>'quoted'</b>" },
              { kind: "set_admin", userId: a, admin: true },
              { kind: "mute_member", userId: m, untilMs: now + 60_000 },
              { kind: "mute_all", untilMs: now + 30_000 },
            ],
            messages: [
              system(a, { kind: "system", event: "title_changed", title: "new title" }),
              system(a, { kind: "system", event: "muted", userIds: [m], untilMs: now + 60_000 }),
            ],
          };
        },
        now,
      );
      expect(seen).toEqual([1]);
      expect(result?.before).toMatchObject({ title: "g", adminIds: [], lastSeq: 1 });
      expect(result?.after).toMatchObject({
        title: "new title",
        announcement: "📢 <b>'quoted'</b>",
        adminIds: [a],
        mutes: [{ userId: m, untilMs: now + 60_000 }],
        mutedAllUntil: now + 30_000,
        lastSeq: 3,
      });
      expect(result?.messages.map((msg) => [msg.seq, msg.senderId, msg.body.kind])).toEqual([
        [2, a, "system"],
        [3, a, "system"],
      ]);
      expect(await allMessages(store, g.id)).toEqual([
        expect.objectContaining({ seq: 1 }),
        ...(result?.messages ?? []),
      ]);
      // Each sender's cursor moved to their system message; the view shows it as the last message.
      expect(await store.getConversationView(g.id, a)).toMatchObject({ readSeq: 3, lastMessage: result?.messages[1] });
      // Appends after it continue the same sequence.
      const [next] = await store.appendMessages([input(g.id, o, "after")]);
      expect(stored(next).seq).toBe(4);
      // Unmuting and clearing.
      const cleared = await store.changeGroup(
        g.id,
        () => ({
          mutations: [
            { kind: "mute_member", userId: m, untilMs: 0 },
            { kind: "mute_all", untilMs: 0 },
            { kind: "set_announcement", announcement: null },
            { kind: "set_admin", userId: a, admin: false },
          ],
          messages: [],
        }),
        now,
      );
      expect(cleared?.after).toMatchObject({ mutes: [], mutedAllUntil: 0, adminIds: [], lastSeq: 4 });
      expect(cleared?.after.announcement).toBeUndefined();
      expect(cleared?.messages).toEqual([]);
    });

    it("transfers ownership (the new owner stops being an admin), removes, adds and dissolves", async () => {
      const [o, a, m] = members();
      const g = await ctx.group([o, a, m]);
      const now = Date.now();
      await store.changeGroup(
        g.id,
        () => ({ mutations: [{ kind: "set_admin", userId: a, admin: true }], messages: [] }),
        now,
      );
      const moved = await store.changeGroup(
        g.id,
        () => ({
          mutations: [
            { kind: "remove_member", userId: o },
            { kind: "set_owner", userId: a },
          ],
          messages: [
            system(o, { kind: "system", event: "member_left", userIds: [o] }),
            system(o, { kind: "system", event: "owner_changed", userIds: [a] }),
          ],
        }),
        now,
      );
      expect(moved?.after).toMatchObject({ ownerId: a, adminIds: [], memberIds: [a, m], lastSeq: 2 });
      expect(await store.isMember(g.id, o)).toBe(false);
      const fresh = uid("n");
      await store.upsertUser({ id: fresh, name: fresh });
      const added = await store.changeGroup(
        g.id,
        () => ({ mutations: [{ kind: "add_members", userIds: [fresh, m] }], messages: [] }),
        now,
      );
      expect(added?.after.memberIds).toEqual([a, m, fresh]);
      const ended = await store.changeGroup(
        g.id,
        () => ({ mutations: [{ kind: "dissolve" }], messages: [system(a, { kind: "system", event: "dissolved" })] }),
        now,
      );
      expect(ended?.after.dissolvedAt).toBe(now);
      expect((await store.getConversationView(g.id, m))?.dissolvedAt).toBe(now);
      expect(await store.changeGroup(uid("none"), () => ({ mutations: [], messages: [] }), now)).toBeNull();
    });

    it("stores nothing when the decision refuses or a mutation fails (all or nothing, also past the member limit)", async () => {
      const [o, a, m] = members();
      const g = await ctx.group([o, a, m]);
      const before = await store.getConversation(g.id);
      await expect(
        store.changeGroup(
          g.id,
          () => {
            throw new Error("refused");
          },
          Date.now(),
        ),
      ).rejects.toThrow("refused");
      const crowd = Array.from({ length: Limits.MAX_GROUP_MEMBERS }, (_, i) => `${g.id}_${i}`);
      await expect(
        store.changeGroup(
          g.id,
          () => ({
            mutations: [
              { kind: "set_title", title: "should not stick" },
              { kind: "add_members", userIds: crowd },
            ],
            messages: [system(o, { kind: "system", event: "members_added", userIds: crowd.slice(0, 3) })],
          }),
          Date.now(),
        ),
      ).rejects.toBeInstanceOf(GroupFullError);
      expect(await store.getConversation(g.id)).toEqual(before);
      expect(await allMessages(store, g.id)).toEqual([]);
    });

    it("keeps seqs dense when group changes and sends run concurrently", async () => {
      const [o, a, m] = members();
      const g = await ctx.group([o, a, m]);
      const now = Date.now();
      const changes = Array.from({ length: 10 }, (_, i) =>
        store.changeGroup(
          g.id,
          () => ({
            mutations: [{ kind: "set_title", title: `t${i}` }],
            messages: [system(o, { kind: "system", event: "title_changed", title: `t${i}` })],
          }),
          now,
        ),
      );
      const sends = Array.from({ length: 10 }, (_, i) => store.appendMessages([input(g.id, m, `m${i}`)]));
      await Promise.all([...changes, ...sends]);
      const all = await allMessages(store, g.id);
      expect(all.map((msg) => msg.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await store.getConversation(g.id))?.lastSeq).toBe(20);
    });
  });
}
