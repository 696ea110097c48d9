import type { Message } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { ChatClient } from "../src/chat-client";
import { login, realClient, until, useRealServer } from "./support/real-server";

/** Recall, mentions and settings through ChatClient against a real server (protocol 1.1). */
describe("recall, mentions and settings through the client", () => {
  const real = useRealServer();

  async function online(userId: string): Promise<{ client: ChatClient; received: Message[] }> {
    const pair = realClient(real.server, await login(real.server, userId));
    real.onCleanup(() => pair.client.close());
    pair.client.connect();
    await until(pair.client, () => pair.client.state === "online", `${userId} online`);
    return pair;
  }
  const bodyOf = (client: ChatClient, conversationId: string, messageId: string) =>
    client.messages(conversationId).find((m) => m.id === messageId)?.body;

  it("recalls through the outbox, also queued while offline; every timeline shows the tombstone in place", {
    timeout: 30_000,
  }, async () => {
    await real.start();
    const { client: alice } = await online("alice");
    const { client: bob } = await online("bob");
    const group = await alice.createGroup("team", ["bob"]);
    const first = await alice.send(group.id, "first").done;
    const second = await alice.send(group.id, "second").done;
    await until(bob, () => bob.messages(group.id).length === 2, "bob has both");
    const heard: string[] = [];
    bob.on("recalled", (event) => heard.push(event.message.id));

    const recall = await alice.recall(group.id, first.id).done;
    await until(bob, () => bodyOf(bob, group.id, first.id)?.kind === "recalled", "bob sees the tombstone");
    expect(bodyOf(bob, group.id, recall.id)).toEqual({ kind: "recall", messageId: first.id, by: "sender" });
    expect(bob.messages(group.id).map((m) => [m.seq, m.body.kind])).toEqual([
      [1, "recalled"],
      [2, "text"],
      [3, "recall"],
    ]);
    expect(bodyOf(alice, group.id, first.id)).toEqual({ kind: "recalled", by: "sender" });
    expect(heard).toEqual([first.id]);

    // Offline: the recall waits in the outbox and goes out once on resume.
    alice.suspend();
    await until(alice, () => alice.state === "offline", "alice offline");
    const queued = alice.recall(group.id, second.id);
    expect(alice.outbox(group.id).map((e) => e.body)).toEqual([{ kind: "recall", messageId: second.id }]);
    alice.resume();
    const stored = await queued.done;
    expect(stored.seq).toBe(4);
    await until(bob, () => bodyOf(bob, group.id, second.id)?.kind === "recalled", "bob sees the second tombstone");
    expect(alice.outbox(group.id)).toEqual([]);
    // A recall the server refuses fails like a send, for good.
    const refused = await bob.recall(group.id, "no-such-message").done.catch((error: unknown) => error);
    expect((refused as { code?: string }).code).toBe("not_found");
  });

  it("tells the server's recall window from its ready (undefined before)", { timeout: 30_000 }, async () => {
    await real.start();
    const pair = realClient(real.server, await login(real.server, "window-watcher"));
    real.onCleanup(() => pair.client.close());
    expect(pair.client.recallWindowMs).toBeUndefined();
    pair.client.connect();
    await until(pair.client, () => pair.client.state === "online", "online");
    expect(pair.client.recallWindowMs).toBe(120_000);
  });

  it("a reader who never synced the original gets only its tombstone", { timeout: 30_000 }, async () => {
    await real.start();
    const { client: alice } = await online("alice");
    await login(real.server, "carol");
    const group = await alice.createGroup("later", ["carol"]);
    const secret = await alice.send(group.id, "never seen").done;
    await alice.recall(group.id, secret.id).done;
    const { client: carol } = await online("carol");
    await until(carol, () => carol.messages(group.id).length === 2, "carol synced");
    expect(carol.messages(group.id).map((m) => m.body.kind)).toEqual(["recalled", "recall"]);
    expect(JSON.stringify(carol.messages(group.id))).not.toContain("never seen");
    expect(carol.conversation(group.id)?.unread).toBe(0);
  });

  it("exposes lastMentionSeq and keeps settings across the user's connections, pinned first", {
    timeout: 30_000,
  }, async () => {
    await real.start();
    const { client: alice } = await online("alice");
    const { client: bob } = await online("bob");
    const { client: aliceToo } = await online("alice");
    const older = await alice.createGroup("older", ["bob"]);
    const newer = await alice.createGroup("newer", ["bob"]);
    await alice.send(newer.id, "news").done;
    const plain = await bob.send(older.id, "no mention").done;
    const mention = await bob.send(older.id, "@alice", { mentions: ["alice"] }).done;
    await until(aliceToo, () => aliceToo.conversation(older.id)?.lastMentionSeq === mention.seq, "the mention, live");
    expect(aliceToo.conversation(older.id)?.lastMentionSeq).toBeGreaterThan(plain.seq);
    expect((await alice.listConversations()).find((c) => c.id === older.id)?.lastMentionSeq).toBe(mention.seq);
    expect(bob.conversation(older.id)?.lastMentionSeq).toBeUndefined();
    // A reply round trip: the server fills senderId, kind and preview.
    const reply = await alice.send(older.id, "ok", { replyTo: { seq: mention.seq } }).done;
    await until(bob, () => bodyOf(bob, older.id, reply.id) !== undefined, "bob gets the reply");
    expect(bodyOf(bob, older.id, reply.id)).toEqual({
      kind: "text",
      text: "ok",
      replyTo: { seq: mention.seq, senderId: "bob", kind: "text", preview: "@alice" },
    });

    const pinned = await alice.updateSettings(older.id, { pinned: true, draft: "回头再说" });
    expect(pinned.settings).toEqual({ pinned: true, muted: false, draft: "回头再说" });
    await until(
      aliceToo,
      () => aliceToo.conversation(older.id)?.settings?.pinned === true,
      "the other device hears it",
    );
    expect(aliceToo.conversation(older.id)?.settings?.draft).toBe("回头再说");
    expect(aliceToo.conversations()[0]?.id).toBe(older.id);
    expect(alice.conversations()[0]?.id).toBe(older.id);
    // Bob's own view is unchanged.
    expect((await bob.listConversations()).find((c) => c.id === older.id)?.settings).toEqual({
      pinned: false,
      muted: false,
    });
    const refused = await alice.updateSettings(older.id, { draft: "x".repeat(4001) }).catch((error: unknown) => error);
    expect((refused as { code?: string }).code).toBe("bad_request");
  });
});
