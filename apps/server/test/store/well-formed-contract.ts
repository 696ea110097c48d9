import { isWellFormedText } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupCommitter } from "../../src/store/group-commit";
import type { AppendInput, Store } from "../../src/store/store";
import { IllFormedStringError } from "../../src/store/well-formed-guard";
import type { StoreFixture } from "./store-contract";

const TEST_TIMEOUT = 60_000;
let counter = 0;
const uid = (prefix: string) => `${prefix}${++counter}_${Math.random().toString(36).slice(2, 8)}`;

/** Strings no store may write. */
export const ILL_FORMED_STRINGS = [
  "\ud800",
  "\udfff",
  "a\udc00b",
  "\ud83d",
  "😀\ud83d",
  "\ude00😀",
  "\u0000",
  "a\u0000",
];

/** Every string a read returns, at any depth. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (typeof value === "object" && value !== null) for (const item of Object.values(value)) strings(item, out);
  return out;
}

/**
 * Defence in depth: whatever the protocol lets through, no adapter writes an
 * ill-formed string. Every write refuses one in any of its string arguments,
 * with an error the server answers as `bad_request`, and stores nothing.
 */
export function wellFormedContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store refuses ill-formed strings: ${name}`, { timeout: TEST_TIMEOUT }, () => {
    let fixture: StoreFixture;
    let store: Store;
    const alice = uid("alice");
    const bob = uid("bob");
    let groupId: string;

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
      await store.upsertUser({ id: alice, name: "Alice" });
      await store.upsertUser({ id: bob, name: "Bob" });
      groupId = (await store.createGroup({ id: uid("g"), title: "g", memberIds: [alice, bob], now: Date.now() })).id;
    }, TEST_TIMEOUT);
    afterAll(async () => {
      await fixture?.cleanup();
    }, TEST_TIMEOUT);

    const message = (fields: Partial<AppendInput>): AppendInput => ({
      id: uid("m"),
      conversationId: groupId,
      senderId: alice,
      clientMsgId: uid("c"),
      body: { kind: "text", text: "fine" },
      createdAt: Date.now(),
      ...fields,
    });

    const writes = (bad: string): Array<[string, () => Promise<unknown>]> => [
      ["upsertUser name", () => store.upsertUser({ id: uid("u"), name: `n${bad}` })],
      ["upsertUser id", () => store.upsertUser({ id: `u${bad}`, name: "n" })],
      ["createGroup title", () => store.createGroup({ id: uid("g"), title: bad, memberIds: [alice], now: 1 })],
      ["createGroup memberIds", () => store.createGroup({ id: uid("g"), title: "t", memberIds: [bad], now: 1 })],
      ["getOrCreateDirect", () => store.getOrCreateDirect({ id: uid("d"), a: alice, b: `b${bad}`, now: 1 })],
      ["addMembers", () => store.addMembers(groupId, [bad], 1)],
      ["append clientMsgId", () => store.appendMessages([message({ clientMsgId: `c${bad}` })])],
      ["append text", () => store.appendMessages([message({ body: { kind: "text", text: `t${bad}` } })])],
      ["append id", () => store.appendMessages([message({ id: `m${bad}` })])],
      ["append in a batch", () => store.appendMessages([message({}), message({ clientMsgId: bad })])],
    ];

    for (const bad of ILL_FORMED_STRINGS) {
      it(`refuses ${JSON.stringify(bad)} in every write, storing nothing`, async () => {
        const before = await store.getConversation(groupId);
        const usersBefore = await store.listConversations(alice);
        for (const [label, write] of writes(bad)) {
          await expect(write(), label).rejects.toBeInstanceOf(IllFormedStringError);
        }
        expect(await store.getConversation(groupId)).toEqual(before);
        expect(await store.listConversations(alice)).toEqual(usersBefore);
      });
    }

    it("fails only the bad append of a group-commit batch", async () => {
      const committer = new GroupCommitter(store);
      const good = message({});
      const [ok, refused] = await Promise.allSettled([
        committer.append(good),
        committer.append(message({ clientMsgId: "\ud800" })),
      ]);
      expect(ok.status === "fulfilled" && ok.value.status).toBe("stored");
      expect(refused.status === "rejected" && refused.reason).toBeInstanceOf(IllFormedStringError);
    });

    it("returns only well-formed strings from every read", async () => {
      const reads = [
        await store.listConversations(alice),
        await store.listMessages(groupId, { afterSeq: 0, limit: 200 }),
        await store.getUser(alice),
      ];
      for (const s of strings(reads)) expect(isWellFormedText(s), JSON.stringify(s)).toBe(true);
    });
  });
}
