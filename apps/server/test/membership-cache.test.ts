import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MembershipCache } from "../src/chat/membership-cache";
import type { ConversationRecord } from "../src/store/store";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/** A store whose conversations the test edits, counting reads; `hold` keeps reads pending until released. */
class FakeConversations {
  readonly records = new Map<string, ConversationRecord>();
  reads = 0;
  private held: Array<() => void> | undefined;

  getConversation = async (id: string): Promise<ConversationRecord | null> => {
    this.reads++;
    // The answer is taken when the read starts, as a database would.
    const record = this.records.get(id);
    const answer = record ? { ...record, memberIds: [...record.memberIds] } : null;
    if (this.held) await new Promise<void>((resolve) => this.held?.push(resolve));
    return answer;
  };

  put(id: string, memberIds: string[]): void {
    this.records.set(id, {
      id,
      kind: "group",
      title: "",
      memberIds,
      lastSeq: 0,
      createdAt: 0,
      updatedAt: 0,
      adminIds: [],
      mutes: [],
      mutedAllUntil: 0,
    });
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const resolve of held) resolve();
  }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: { code?: string }) => error.code ?? "thrown",
  );

describe("MembershipCache", () => {
  it("answers a known member from memory and asks the store for every refusal", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice", "bob"]);
    const cache = new MembershipCache(store, () => 0);
    expect((await cache.require("c1", "alice")).memberIds).toEqual(["alice", "bob"]);
    await cache.require("c1", "bob");
    expect(store.reads).toBe(1);
    expect(await codeOf(cache.require("c1", "eve"))).toBe("forbidden");
    expect(await codeOf(cache.require("c1", "eve"))).toBe("forbidden");
    expect(store.reads).toBe(3);
    expect(await codeOf(cache.require("nope", "alice"))).toBe("not_found");
  });

  it("lets in a user added in the store after a refusal, without any event", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice"]);
    const cache = new MembershipCache(store, () => 0);
    await cache.require("c1", "alice");
    expect(await codeOf(cache.require("c1", "eve"))).toBe("forbidden");
    store.put("c1", ["alice", "eve"]);
    expect((await cache.require("c1", "eve")).memberIds).toEqual(["alice", "eve"]);
  });

  it("never lets in a user it only heard of for another conversation", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice"]);
    store.put("c2", ["alice", "eve"]);
    const cache = new MembershipCache(store, () => 0);
    cache.learn({ id: "c2", kind: "group", memberIds: ["alice", "eve"] });
    await cache.require("c1", "alice");
    expect(await codeOf(cache.require("c1", "eve"))).toBe("forbidden");
  });

  it("shares one store read between concurrent misses, and re-reads for a refusal that joined an older read", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice"]);
    const cache = new MembershipCache(store, () => 0);
    store.hold();
    const first = cache.require("c1", "alice");
    const second = cache.require("c1", "alice");
    // eve is added while the shared read (which predates her) is pending.
    store.put("c1", ["alice", "eve"]);
    const eve = cache.require("c1", "eve");
    store.release();
    await Promise.all([first, second]);
    expect(await codeOf(eve)).toBe("ok");
    expect(store.reads).toBe(2);
  });

  it("forgets a conversation on its bus events (additions and removals) and reloads after the TTL", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice", "bob"]);
    let now = 0;
    const cache = new MembershipCache(store, () => now, { ttlMs: 1000 });
    const before = (await cache.require("c1", "alice")).memberIds;
    store.put("c1", ["alice", "bob", "carol"]);
    const conversation = {
      id: "c1",
      kind: "group" as const,
      title: "",
      memberIds: ["alice", "bob", "carol"],
      lastSeq: 0,
      updatedAt: 0,
    };
    cache.hear({
      type: "conversation",
      conversation,
      members: [
        { userId: "carol", readSeq: 0, unread: 0, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
      ],
    });
    expect((await cache.require("c1", "alice")).memberIds).toEqual(["alice", "bob", "carol"]);
    // A list handed out earlier (e.g. a push's recipients) is never changed afterwards.
    expect(before).toEqual(["alice", "bob"]);
    expect(store.reads).toBe(2);
    // Removed on another instance: the event makes this one refuse bob at once.
    store.put("c1", ["alice", "carol"]);
    cache.hear({ type: "members_removed", conversationId: "c1", userIds: ["bob"], reason: "removed", seq: 1 });
    expect(await codeOf(cache.require("c1", "bob"))).toBe("forbidden");
    expect((await cache.require("c1", "alice")).memberIds).toEqual(["alice", "carol"]);
    expect(store.reads).toBe(3);
    // An event that was lost: the TTL bounds how long the removed member is still let in.
    store.put("c1", ["carol"]);
    expect((await cache.require("c1", "alice")).memberIds).toEqual(["alice", "carol"]);
    now = 1001;
    expect(await codeOf(cache.require("c1", "alice"))).toBe("forbidden");
    expect(store.reads).toBe(4);
  });

  it("does not cache a load that was under way when the conversation was forgotten", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice", "bob"]);
    const cache = new MembershipCache(store, () => 0);
    store.hold();
    const early = cache.require("c1", "bob");
    // bob is removed (the pending read predates it) and the removal is heard.
    store.put("c1", ["alice"]);
    cache.forget("c1");
    store.release();
    await early;
    expect(await codeOf(cache.require("c1", "bob"))).toBe("forbidden");
    expect(store.reads).toBe(2);
  });

  it("forgets the oldest conversation past maxEntries (a miss, never a wrong answer)", async () => {
    const store = new FakeConversations();
    store.put("c1", ["alice"]);
    store.put("c2", ["alice"]);
    const cache = new MembershipCache(store, () => 0, { maxEntries: 1 });
    await cache.require("c1", "alice");
    await cache.require("c2", "alice");
    await cache.require("c1", "alice");
    expect(store.reads).toBe(3);
  });
});

describe("membership cache through two instances sharing one store", () => {
  let first: TestServer;
  let second: TestServer;
  const clients: TestClient[] = [];
  const connect = async (server: TestServer, userId: string) => {
    const client = await TestClient.connect(server, userId);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    first = await startTestServer();
    // Same store, separate in-process buses: the second instance never hears the first one's events.
    second = await startTestServer({ deps: { store: first.store } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await second?.close();
    await first?.close();
  });

  it("refuses a non-member on a warm cache, then lets them send once added (on the other instance)", async () => {
    const alice = await connect(first, "alice");
    const bob = await connect(second, "bob");
    const eve = await connect(second, "eve");
    const groupId = (await alice.api(first).createGroup("cache", ["bob"])).id;
    // Warm the second instance's cache for this conversation.
    const warm = await bob.sendText(groupId, "warm");
    expect(warm.type).toBe("ack");

    const refused = [
      await eve.sendText(groupId, "let me in"),
      await eve.request({ type: "sync", conversationId: groupId, afterSeq: 0 }),
      await eve.request({ type: "read", id: "r-read", conversationId: groupId, seq: 1 }),
    ];
    for (const answer of refused) expect(answer).toMatchObject({ type: "error", code: "forbidden" });
    eve.sendRaw(JSON.stringify({ type: "typing", conversationId: groupId }));
    expect((await eve.request({ type: "ping" })).type).toBe("pong");

    // Added on the first instance: the second hears nothing, its cache does not know eve.
    await alice.api(first).addMembers(groupId, ["eve"]);
    const ack = await eve.sendText(groupId, "in now");
    if (ack.type !== "ack") throw new Error(JSON.stringify(ack));
    // The second instance reloaded the members, so eve's own push and bob's include her.
    await bob.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
    await eve.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
    // Nothing of the conversation reached eve before she was added (beyond her own frames since).
    const early = eve.frames.filter(
      (f) => (f.type === "message" && f.message.seq < ack.seq) || (f.type === "typing" && f.conversationId === groupId),
    );
    expect(early).toEqual([]);
  });

  it("lets a member added on this instance send at once, and pushes to them", async () => {
    const alice = await connect(first, "alice");
    const carol = await connect(first, "carol");
    const groupId = (await alice.api(first).createGroup("local", [])).id;
    expect((await alice.sendText(groupId, "alone")).type).toBe("ack");
    expect(await carol.sendText(groupId, "not yet")).toMatchObject({ type: "error", code: "forbidden" });
    await alice.api(first).addMembers(groupId, ["carol"]);
    const ack = await alice.sendText(groupId, "welcome");
    if (ack.type !== "ack") throw new Error(JSON.stringify(ack));
    await carol.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
    expect((await carol.sendText(groupId, "thanks")).type).toBe("ack");
  });
});
