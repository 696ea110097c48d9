import { beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/store/errors";
import { GroupCommitter } from "../../src/store/group-commit";
import type { Store } from "../../src/store/store";
import { allMessages, type ContractContext, input, stored, text, uid } from "./contract-support";

/** Appends, seqs, idempotency, history pages and group commit (called from storeContract). */
export function messageContract(ctx: ContractContext): void {
  describe("messages", () => {
    let store: Store;
    const { users, group } = ctx;
    const [alice, bob] = users;

    beforeAll(() => {
      store = ctx.store();
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

    it("moves the counter for a sender who is not a member (moderation), alone and beside members", async () => {
      const g = await group([alice, bob]);
      const outsider = uid("moderation");
      expect(stored((await store.appendMessages([input(g.id, outsider, "alone")]))[0]).seq).toBe(1);
      const mixed = await store.appendMessages([input(g.id, alice, "a"), input(g.id, outsider, "b")]);
      expect(mixed.map((r) => stored(r).seq)).toEqual([2, 3]);
      expect((await store.getConversation(g.id))?.lastSeq).toBe(3);
      expect((await allMessages(store, g.id)).map((m) => m.seq)).toEqual([1, 2, 3]);
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
  });
}
