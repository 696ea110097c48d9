import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store";
import { adminStoreContract } from "./admin-store-contract";
import { type ContractContext, uid } from "./contract-support";
import { conversationContract } from "./conversation-contract";
import { groupContract } from "./group-contract";
import { mediaCheckStoreContract } from "./media-check-store-contract";
import { messageActionsContract } from "./message-actions-contract";
import { messageContract } from "./message-contract";
import { noticeStoreContract } from "./notice-store-contract";
import { profileStoreContract } from "./profile-store-contract";
import { safetyStoreContract } from "./safety-store-contract";

/** A store under test and how to throw it away. */
export interface StoreFixture {
  store: Store;
  cleanup: () => Promise<void>;
}

const TEST_TIMEOUT = 60_000;

/** The same behaviour, whatever the dialect: every adapter must pass this suite. */
export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, { timeout: TEST_TIMEOUT }, () => {
    let fixture: StoreFixture;
    let store: Store;
    const users = ["alice", "bob", "carol", "dave"].map((n) => uid(n));
    const [alice, bob] = users as [string, string, string, string];

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
      for (const id of users) await store.upsertUser({ id, name: id.toUpperCase() });
    }, TEST_TIMEOUT);
    afterAll(async () => {
      await fixture?.cleanup();
    }, TEST_TIMEOUT);

    const ctx: ContractContext = {
      store: () => store,
      users: users as [string, string, string, string],
      group: (memberIds, title = "g") => store.createGroup({ id: uid("g"), title, memberIds, now: Date.now() }),
    };

    it("answers ping and keeps users (upsert renames, existingUserIds filters)", async () => {
      await store.ping();
      expect(await store.getUser(alice)).toEqual({ id: alice, name: alice.toUpperCase() });
      expect(await store.upsertUser({ id: alice, name: "Alice 爱丽丝" })).toEqual({ id: alice, name: "Alice 爱丽丝" });
      expect(await store.getUser(alice)).toEqual({ id: alice, name: "Alice 爱丽丝" });
      expect(await store.getUser(uid("nobody"))).toBeNull();
      expect((await store.existingUserIds([alice, uid("ghost"), bob])).sort()).toEqual([alice, bob].sort());
      expect(await store.existingUserIds([])).toEqual([]);
    });

    it("keeps sessions: created live, ended once (a second end keeps the first time), ids case-sensitive", async () => {
      const id = uid("Session_");
      await store.createSession({ id, userId: alice, createdAt: 1_000 });
      expect(await store.getSession(id)).toEqual({ id, userId: alice, createdAt: 1_000, endedAt: null });
      expect(await store.getSession(id.toLowerCase())).toBeNull();
      expect(await store.endSession(id, 2_000)).toEqual({ id, userId: alice, createdAt: 1_000, endedAt: 2_000 });
      expect(await store.endSession(id, 3_000)).toMatchObject({ endedAt: 2_000 });
      expect(await store.getSession(id)).toMatchObject({ endedAt: 2_000 });
      expect(await store.endSession(uid("no-such-session"), 2_000)).toBeNull();
      await expect(store.createSession({ id, userId: bob, createdAt: 4_000 })).rejects.toThrow();
      expect(await store.getSession(id)).toMatchObject({ userId: alice });
    });

    messageContract(ctx);
    messageActionsContract(ctx);
    conversationContract(ctx);
    groupContract(ctx);
    profileStoreContract(() => store);
    safetyStoreContract(ctx);
    adminStoreContract(ctx);
    noticeStoreContract(ctx);
    mediaCheckStoreContract(ctx);
  });
}
