import { type Body, Limits } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupFullError, StoreUnavailableError } from "../../src/store/errors";
import { GroupCommitter } from "../../src/store/group-commit";
import type { AppendInput, AppendResult, Store } from "../../src/store/store";
import { profileStoreContract } from "./profile-store-contract";

/** A store under test and how to throw it away. */
export interface StoreFixture {
  store: Store;
  cleanup: () => Promise<void>;
}

const TEST_TIMEOUT = 60_000;

let counter = 0;
/** Ids unique within the run, so that tests sharing one database never collide. */
function uid(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

function text(t: string): Body {
  return { kind: "text", text: t };
}

function input(conversationId: string, senderId: string, t: string, clientMsgId = uid("c")): AppendInput {
  return { id: uid("m"), conversationId, senderId, clientMsgId, body: text(t), createdAt: Date.now() };
}

function stored(result: AppendResult | undefined) {
  if (result?.status !== "stored") throw new Error(`expected stored, got ${JSON.stringify(result)}`);
  return result.message;
}

/** Every message of a conversation, ascending, by paging with afterSeq. */
async function allMessages(store: Store, conversationId: string) {
  const out = [];
  let afterSeq = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await store.listMessages(conversationId, { afterSeq, limit: 200 });
    out.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) break;
    afterSeq = last.seq;
  }
  return out;
}

/** The same behaviour, whatever the dialect: every adapter must pass this suite. */
export function storeContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`Store contract: ${name}`, { timeout: TEST_TIMEOUT }, () => {
    let fixture: StoreFixture;
    let store: Store;
    const users = ["alice", "bob", "carol", "dave"].map((n) => uid(n));
    const [alice, bob, carol, dave] = users as [string, string, string, string];

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
      for (const id of users) await store.upsertUser({ id, name: id.toUpperCase() });
    }, TEST_TIMEOUT);
    afterAll(async () => {
      await fixture?.cleanup();
    }, TEST_TIMEOUT);

    async function group(memberIds: string[], title = "g") {
      return store.createGroup({ id: uid("g"), title, memberIds, now: Date.now() });
    }

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

    it("allocates dense seqs 1..1000 when 20 senders append 50 each concurrently", async () => {
      const g = await group(users);
      const committer = new GroupCommitter(store, { maxBatch: 64 });
      const appends = [];
      for (let s = 0; s < 20; s++) {
        for (let i = 0; i < 50; i++) appends.push(committer.append(input(g.id, users[s % 4] ?? alice, `s${s} m${i}`)));
      }
      const results = await Promise.all(appends);
      const seqs = results.map((r) => stored(r).seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
      const all = await allMessages(store, g.id);
      expect(all.map((m) => m.seq)).toEqual(seqs);
      expect((await store.getConversation(g.id))?.lastSeq).toBe(1000);
    });

    it("keeps each conversation dense and in arrival order through a committer with three lanes", async () => {
      const groups = await Promise.all(Array.from({ length: 12 }, () => group(users)));
      const committer = new GroupCommitter(store, { lanes: 3, maxBatch: 40 });
      const sent = groups.map(() => [] as string[]);
      const appends = [];
      for (let i = 0; i < 600; i++) {
        const g = i % groups.length;
        const body = `lane message ${i}`;
        sent[g]?.push(body);
        appends.push(committer.append(input(groups[g]?.id ?? "", users[i % 4] ?? alice, body)));
      }
      await Promise.all(appends);
      for (const [g, conversation] of groups.entries()) {
        const all = await allMessages(store, conversation.id);
        expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        // Seq order is the order the appends were made in.
        expect(all.map((m) => (m.body.kind === "text" ? m.body.text : ""))).toEqual(sent[g]);
      }
    });

    it("keeps seqs dense when separate batches for several conversations run at once", async () => {
      const [g1, g2] = await Promise.all([group(users), group(users)]);
      const batches = Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 26 }, (_, i) => input(i % 2 ? g1.id : g2.id, users[b % 4] ?? alice, `b${b} ${i}`)),
      );
      const results = (await Promise.all(batches.map((b) => store.appendMessages(b)))).flat();
      const seqsOf = (id: string) =>
        results
          .map(stored)
          .filter((m) => m.conversationId === id)
          .map((m) => m.seq)
          .sort((a, b) => a - b);
      expect(seqsOf(g1.id)).toEqual(Array.from({ length: 104 }, (_, i) => i + 1));
      expect(seqsOf(g2.id)).toEqual(Array.from({ length: 104 }, (_, i) => i + 1));
    });

    it("stores a (sender, clientMsgId) once: within one batch and across batches", async () => {
      const g = await group([alice, bob]);
      const first = input(g.id, alice, "hello", "same-id");
      const again = { ...first, id: uid("m"), body: text("different text"), createdAt: first.createdAt + 5 };
      const [a, b, c] = await store.appendMessages([first, input(g.id, bob, "other"), again]);
      const original = stored(a);
      expect(stored(b).seq).toBe(2);
      expect(c).toEqual({ status: "duplicate", message: original });
      const [d] = await store.appendMessages([{ ...again, id: uid("m") }]);
      expect(d).toEqual({ status: "duplicate", message: original });
      // Another sender may use the same clientMsgId: it names a different message.
      const [e] = await store.appendMessages([input(g.id, bob, "bob's", "same-id")]);
      expect(stored(e).seq).toBe(3);
      expect(await store.findByClientMsgId(alice, "same-id")).toEqual(original);
      expect(await store.findByClientMsgId(alice, "never-sent")).toBeNull();
      expect((await allMessages(store, g.id)).map((m) => m.body)).toEqual([
        text("hello"),
        text("other"),
        text("bob's"),
      ]);
      expect((await store.getConversation(g.id))?.lastSeq).toBe(3);
    });

    it("treats clientMsgIds as exact strings: case, trailing spaces and emoji make different names", async () => {
      const g = await group([alice]);
      const names = ["k", "K", "k ", " k", "k😀", "k😁"];
      const results = await store.appendMessages(names.map((n) => input(g.id, alice, `name ${n}`, n)));
      expect(results.map((r) => stored(r).seq)).toEqual([1, 2, 3, 4, 5, 6]);
      for (const n of names) expect((await store.findByClientMsgId(alice, n))?.clientMsgId).toBe(n);
      const again = await store.appendMessages(names.map((n) => input(g.id, alice, "again", n)));
      expect(again.map((r) => r.status)).toEqual(Array(names.length).fill("duplicate"));
    });

    it("answers not_found for a conversation that does not exist, and stores the rest of the batch", async () => {
      const g = await group([alice]);
      const [missing, ok] = await store.appendMessages([input(uid("nope"), alice, "x"), input(g.id, alice, "y")]);
      expect(missing).toEqual({ status: "not_found" });
      expect(stored(ok).seq).toBe(1);
    });

    it("stores a clientMsgId repeated across a missing and an existing conversation in the existing one", async () => {
      const g = await group([alice]);
      const [missing, ok, again] = await store.appendMessages([
        input(uid("nope"), alice, "lost", "twice"),
        input(g.id, alice, "kept", "twice"),
        input(g.id, alice, "next"),
      ]);
      expect(missing).toEqual({ status: "not_found" });
      expect(stored(ok).seq).toBe(1);
      expect(stored(again).seq).toBe(2);
      expect((await store.getConversation(g.id))?.lastSeq).toBe(2);
      const [after] = await store.appendMessages([input(g.id, alice, "third")]);
      expect(stored(after).seq).toBe(3);
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

    it("pages history after and before a seq, with hasMore", async () => {
      const g = await group([alice]);
      await store.appendMessages(Array.from({ length: 25 }, (_, i) => input(g.id, alice, `n${i + 1}`)));
      const seqs = (p: { messages: { seq: number }[] }) => p.messages.map((m) => m.seq);
      const first = await store.listMessages(g.id, { afterSeq: 0, limit: 10 });
      expect(seqs(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(first.hasMore).toBe(true);
      const tail = await store.listMessages(g.id, { afterSeq: 20, limit: 10 });
      expect(seqs(tail)).toEqual([21, 22, 23, 24, 25]);
      expect(tail.hasMore).toBe(false);
      const exact = await store.listMessages(g.id, { afterSeq: 15, limit: 10 });
      expect(seqs(exact)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
      expect(exact.hasMore).toBe(false);
      const before = await store.listMessages(g.id, { beforeSeq: 26, limit: 10 });
      expect(seqs(before)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
      expect(before.hasMore).toBe(true);
      const oldest = await store.listMessages(g.id, { beforeSeq: 4, limit: 10 });
      expect(seqs(oldest)).toEqual([1, 2, 3]);
      expect(oldest.hasMore).toBe(false);
      expect(oldest.messages[0]?.body).toEqual(text("n1"));
      expect(await store.listMessages(uid("none"), { afterSeq: 0, limit: 10 })).toEqual({
        messages: [],
        hasMore: false,
      });
    });

    it("round-trips text exactly: emoji, CJK, quotes, SQL, HTML, control characters, 4000 code points", async () => {
      const g = await group([alice, bob]);
      const texts = [
        "emoji 😀👍🏽👨‍👩‍👧‍👦 and 𝄞",
        "中文，日本語、한국어",
        `quotes ' " \` and backslash \\ and \\' `,
        "'; DROP TABLE messages; --",
        "<script>alert('x')</script>&amp;",
        // U+0000 is refused since protocol 1.1 (well-formed-contract.ts).
        "tab\tnewline\ncarriage\rbell\u0007end",
        "汉".repeat(4000),
        "😀".repeat(4000),
        " leading and trailing spaces ",
      ];
      const results = await store.appendMessages(texts.map((t) => input(g.id, alice, t)));
      expect(results.map((r) => stored(r).body)).toEqual(texts.map(text));
      const back = await allMessages(store, g.id);
      expect(back.map((m) => m.body)).toEqual(texts.map(text));
      expect((await store.getConversationView(g.id, bob))?.lastMessage?.body).toEqual(
        text(" leading and trailing spaces "),
      );
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
        { userId: x, readSeq: 3, unread: 0 },
        { userId: y, readSeq: 2, unread: 1 },
        { userId: z, readSeq: 1, unread: 2 },
      ]);
      // The shared part is what every member's own view has besides readSeq and unread.
      for (const m of snapshot?.members ?? []) {
        const { readSeq, unread, ...shared } = (await store.getConversationView(g.id, m.userId)) ?? {};
        expect(shared).toEqual(snapshot?.conversation);
        expect({ readSeq, unread }).toEqual({ readSeq: m.readSeq, unread: m.unread });
      }
      expect(await store.getConversationMembers(uid("none"))).toBeNull();
    });

    it("group commit puts appends that arrive during a commit into one later transaction", async () => {
      const g = await group([alice, bob]);
      const calls: number[] = [];
      const counting: Store = Object.create(store);
      counting.appendMessages = (batch) => {
        calls.push(batch.length);
        return store.appendMessages(batch);
      };
      const committer = new GroupCommitter(counting, { maxBatch: 50 });
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => committer.append(input(g.id, i % 2 ? alice : bob, `gc${i}`))),
      );
      await committer.drain();
      expect(results.map((r) => stored(r).seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 300 }, (_, i) => i + 1),
      );
      expect(calls.reduce((a, b) => a + b, 0)).toBe(300);
      expect(Math.max(...calls)).toBeLessThanOrEqual(50);
      expect(calls.length).toBeLessThanOrEqual(12); // 300 appends, not 300 transactions
    });

    it("group commit rejects every append of a failed batch, and a retry stores each once", async () => {
      const g = await group([alice]);
      let failNext = true;
      const flaky: Store = Object.create(store);
      flaky.appendMessages = (batch) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new StoreUnavailableError("connection lost"));
        }
        return store.appendMessages(batch);
      };
      const committer = new GroupCommitter(flaky);
      const inputs = Array.from({ length: 5 }, (_, i) => input(g.id, alice, `retry ${i}`));
      const first = await Promise.allSettled(inputs.map((i) => committer.append(i)));
      expect(first.map((r) => r.status)).toEqual(Array(5).fill("rejected"));
      const retried = await Promise.all(inputs.map((i) => committer.append(i)));
      expect(retried.map((r) => stored(r).seq).sort()).toEqual([1, 2, 3, 4, 5]);
      const twice = await Promise.all(inputs.map((i) => committer.append(i)));
      expect(twice.map((r) => r.status)).toEqual(Array(5).fill("duplicate"));
      expect((await allMessages(store, g.id)).length).toBe(5);
    });

    profileStoreContract(() => store);
  });
}
