import type {
  AckFrame,
  BatchFrame,
  ClientBody,
  Conversation,
  ConversationFrame,
  ErrorFrame,
  Message,
  MessageFrame,
  ReadyFrame,
} from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devLogin, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { cid, photo, upload } from "./support/media-uploads";
import { startTestServer, type TestServer } from "./support/server";

const WINDOW_MS = 120_000;

/**
 * Recall, mentions, replies and settings through a real server (SQLite) and real
 * sockets (PROTOCOL.md "Message bodies", "Details … Recall / Replies / Mentions /
 * Settings"). The clock is the test's, so "the window passed" needs no waiting.
 */
describe("recall, mentions, replies and settings (one server, real sockets)", () => {
  let server: TestServer;
  let clock = Date.now();
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let group: Conversation;
  let direct: Conversation;

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => clock } });
    alice = await TestClient.connect(server, "alice");
    bob = await TestClient.connect(server, "bob");
    carol = await TestClient.connect(server, "carol");
    await devLogin(server, "dave");
    // alice creates the group: she owns it; bob and carol are plain members.
    group = await alice.api(server).createGroup("team", ["bob", "carol"]);
    direct = await alice.api(server).createDirect("bob");
  });
  afterAll(async () => {
    for (const client of [alice, bob, carol]) await client?.close();
    await server?.close();
  });

  const send = (client: TestClient, conversationId: string, body: unknown, clientMsgId = cid()) =>
    client.request({ type: "send", conversationId, clientMsgId, body: body as ClientBody });
  const ack = async (client: TestClient, conversationId: string, body: unknown, clientMsgId?: string) => {
    const answer = await send(client, conversationId, body, clientMsgId);
    if (answer.type !== "ack") throw new Error(`expected ack, got ${JSON.stringify(answer)}`);
    return answer as AckFrame;
  };
  const refused = async (client: TestClient, conversationId: string, body: unknown) => {
    const answer = await send(client, conversationId, body);
    if (answer.type !== "error") throw new Error(`expected error, got ${JSON.stringify(answer)}`);
    return (answer as ErrorFrame).code;
  };
  const pushedTo = (client: TestClient, messageId: string) =>
    client.waitFor((f): f is MessageFrame => f.type === "message" && f.message.id === messageId);
  const history = async (client: TestClient, conversationId: string) =>
    (await client.api(server).history(conversationId, { afterSeq: 0, limit: 200 })).messages;
  const viewOf = async (client: TestClient, conversationId: string) => {
    const found = (await client.api(server).conversations()).find((c) => c.id === conversationId);
    if (!found) throw new Error("conversation not listed");
    return found;
  };
  const recall = (messageId: string) => ({ kind: "recall", messageId });

  it("tells the client the recall window in ready", async () => {
    const client = await TestClient.connect(server, "alice");
    const ready = client.frames.find((f): f is ReadyFrame => f.type === "ready");
    expect(ready?.recallWindowMs).toBe(WINDOW_MS);
    await client.close();
  });

  it("stores a recall like any message and returns the original as recalled (seq, sender, time kept) in sync and history", async () => {
    const original = await ack(alice, group.id, { kind: "text", text: "sent by mistake" });
    await pushedTo(bob, original.messageId);
    const recalled = await ack(alice, group.id, recall(original.messageId));
    expect(recalled.seq).toBe(original.seq + 1);
    const pushed = await pushedTo(bob, recalled.messageId);
    expect(pushed.message.senderId).toBe("alice");
    expect(pushed.message.body).toEqual({ kind: "recall", messageId: original.messageId, by: "sender" });
    const tombstone = {
      id: original.messageId,
      conversationId: group.id,
      seq: original.seq,
      senderId: "alice",
      clientMsgId: original.clientMsgId,
      body: { kind: "recalled", by: "sender" },
      createdAt: original.createdAt,
    };
    expect((await history(bob, group.id)).find((m) => m.id === original.messageId)).toEqual(tombstone);
    const batch = (await bob.request({
      type: "sync",
      conversationId: group.id,
      afterSeq: original.seq - 1,
    })) as BatchFrame;
    expect(batch.messages.map((m) => m.seq)).toEqual([original.seq, recalled.seq]);
    expect(batch.messages[0]).toEqual(tombstone);
    // lastMessage is the newest message, whatever its kind.
    expect((await viewOf(carol, group.id)).lastMessage?.id).toBe(recalled.messageId);
  });

  it("answers a second recall (another clientMsgId) with the first recall's ack, even after the window", async () => {
    const original = await ack(alice, group.id, { kind: "text", text: "recall me twice" });
    const first = await ack(alice, group.id, recall(original.messageId));
    const lastSeq = (await viewOf(alice, group.id)).lastSeq;
    const again = await ack(alice, group.id, recall(original.messageId));
    expect({ ...again, id: first.id }).toEqual(first);
    expect(again.clientMsgId).toBe(first.clientMsgId);
    // The same clientMsgId again: the same ack (guarantee 2).
    expect({ ...(await ack(alice, group.id, recall(original.messageId), first.clientMsgId)), id: first.id }).toEqual(
      first,
    );
    clock += WINDOW_MS + 1;
    expect((await ack(alice, group.id, recall(original.messageId))).seq).toBe(first.seq);
    expect((await viewOf(alice, group.id)).lastSeq).toBe(lastSeq);
  });

  it("refuses the sender's recall once the window has passed, and stores nothing", async () => {
    const original = await ack(bob, group.id, { kind: "text", text: "too late" });
    clock += WINDOW_MS + 1;
    const lastSeq = (await viewOf(bob, group.id)).lastSeq;
    expect(await refused(bob, group.id, recall(original.messageId))).toBe("forbidden");
    expect((await viewOf(bob, group.id)).lastSeq).toBe(lastSeq);
    expect((await history(bob, group.id)).find((m) => m.id === original.messageId)?.body.kind).toBe("text");
  });

  it("lets the owner recall a member's message at any time (by admin), and no plain member recall another's", async () => {
    const bobs = await ack(bob, group.id, { kind: "text", text: "owner takes this back" });
    expect(await refused(carol, group.id, recall(bobs.messageId))).toBe("forbidden");
    clock += 10 * WINDOW_MS;
    const byOwner = await ack(alice, group.id, recall(bobs.messageId));
    const pushed = await pushedTo(carol, byOwner.messageId);
    expect(pushed.message.body).toEqual({ kind: "recall", messageId: bobs.messageId, by: "admin" });
    expect((await history(carol, group.id)).find((m) => m.id === bobs.messageId)?.body).toEqual({
      kind: "recalled",
      by: "admin",
    });
  });

  it("refuses bad recalls with clear codes, stores nothing and keeps serving", async () => {
    const mine = await ack(alice, group.id, { kind: "text", text: "target" });
    const inDirect = await ack(alice, direct.id, { kind: "text", text: "elsewhere" });
    const aRecall = await ack(alice, group.id, recall(mine.messageId));
    const lastSeq = (await viewOf(alice, group.id)).lastSeq;
    const cases: [string, unknown, string][] = [
      ["an unknown messageId", recall("no-such-message"), "not_found"],
      ["a message of another conversation", recall(inDirect.messageId), "not_found"],
      ["a recall message", recall(aRecall.messageId), "bad_request"],
      ["a malformed messageId", recall("not an id!"), "bad_request"],
      ["no messageId", { kind: "recall" }, "bad_request"],
      ["a recalled body from a client", { kind: "recalled", by: "sender" }, "bad_request"],
      ["a system body from a client", { kind: "system", event: "dissolved" }, "bad_request"],
    ];
    for (const [name, body, code] of cases) {
      expect([name, await refused(alice, group.id, body)]).toEqual([name, code]);
    }
    expect((await viewOf(alice, group.id)).lastSeq).toBe(lastSeq);
    expect((await ack(bob, group.id, { kind: "text", text: "still serving" })).seq).toBe(lastSeq + 1);
  });

  it("gives a reader who never synced the original only its tombstone", async () => {
    await carol.close();
    const secret = await ack(bob, group.id, { kind: "text", text: "carol must never read this" });
    await ack(bob, group.id, recall(secret.messageId));
    carol = await TestClient.connect(server, "carol");
    const batch = (await carol.request({
      type: "sync",
      conversationId: group.id,
      afterSeq: 0,
      limit: 200,
    })) as BatchFrame;
    expect(JSON.stringify(batch.messages)).not.toContain("carol must never read this");
    const tombstone = batch.messages.find((m) => m.id === secret.messageId);
    expect(tombstone?.body).toEqual({ kind: "recalled", by: "sender" });
    // Dense and in order, recalls included.
    expect(batch.messages.map((m) => m.seq)).toEqual(batch.messages.map((_, i) => i + 1));
  });

  it("counts neither the recall nor the recalled message as unread", async () => {
    const g = await alice.api(server).createGroup("unread", ["bob"]);
    const one = await ack(alice, g.id, { kind: "text", text: "one" });
    await ack(alice, g.id, { kind: "text", text: "two" });
    expect((await viewOf(bob, g.id)).unread).toBe(2);
    await ack(alice, g.id, recall(one.messageId));
    const view = await viewOf(bob, g.id);
    expect([view.unread, view.lastSeq]).toEqual([1, 3]);
  });

  it("counts no system message as unread (a rename by the owner)", async () => {
    const g = await alice.api(server).createGroup("quiet", ["bob"]);
    await ack(alice, g.id, { kind: "text", text: "counted" });
    const renamed = await alice.api(server).raw("PATCH", `/v1/conversations/${g.id}`, { title: "renamed" });
    expect(renamed.status).toBe(200);
    const view = await viewOf(bob, g.id);
    expect(view.lastMessage?.body.kind).toBe("system");
    expect([view.unread, view.lastSeq]).toEqual([1, 2]);
  });

  it("deletes a recalled image's media at once", async () => {
    const { token } = await devLogin(server, "alice");
    const image = (await upload(server, token, { kind: "image", clientMediaId: cid() }, await photo(20, 20))).body
      .media;
    const sent = await ack(alice, direct.id, { kind: "image", mediaId: image.id, width: 1, height: 1 });
    expect(await server.store.findMedia(image.id)).not.toBeNull();
    await ack(alice, direct.id, recall(sent.messageId));
    expect(await server.store.findMedia(image.id)).toBeNull();
    const fetched = await rawRequest(server, "GET", `/v1/media/${image.id}`, { token });
    expect(fetched.status).toBe(404);
  });

  it("round-trips mentions: members only, at most 30, mentionAll from the owner only; lastMentionSeq per member", async () => {
    const mention = await ack(bob, group.id, { kind: "text", text: "@carol look", mentions: ["carol"] });
    expect((await pushedTo(carol, mention.messageId)).message.body).toEqual({
      kind: "text",
      text: "@carol look",
      mentions: ["carol"],
    });
    expect((await viewOf(carol, group.id)).lastMentionSeq).toBe(mention.seq);
    expect((await viewOf(alice, group.id)).lastMentionSeq ?? 0).toBeLessThan(mention.seq);
    const lastSeq = (await viewOf(bob, group.id)).lastSeq;
    const tooMany = Array.from({ length: 31 }, () => "carol");
    for (const [body, code] of [
      [{ kind: "text", text: "@dave", mentions: ["dave"] }, "bad_request"],
      [{ kind: "text", text: "@nobody", mentions: ["nobody"] }, "bad_request"],
      [{ kind: "text", text: "@many", mentions: tooMany }, "bad_request"],
      [{ kind: "text", text: "@all", mentionAll: false }, "bad_request"],
      [{ kind: "text", text: "@bad", mentions: ["bad id"] }, "bad_request"],
      [{ kind: "text", text: "@all", mentionAll: true }, "forbidden"],
    ] as const) {
      expect([body, await refused(bob, group.id, body)]).toEqual([body, code]);
    }
    expect((await viewOf(bob, group.id)).lastSeq).toBe(lastSeq);
    const all = await ack(alice, group.id, { kind: "text", text: "@all meeting", mentionAll: true });
    for (const client of [bob, carol]) expect((await viewOf(client, group.id)).lastMentionSeq).toBe(all.seq);
    // A recalled mention still counts.
    await ack(alice, group.id, recall(all.messageId));
    expect((await viewOf(carol, group.id)).lastMentionSeq).toBe(all.seq);
    // Mentions are allowed in a direct conversation (mentionAll is not: nobody manages it).
    const inDirect = await ack(alice, direct.id, { kind: "text", text: "@bob", mentions: ["bob"] });
    expect((await viewOf(bob, direct.id)).lastMentionSeq).toBe(inDirect.seq);
    expect(await refused(alice, direct.id, { kind: "text", text: "@all", mentionAll: true })).toBe("forbidden");
  });

  it("round-trips replies: the server's senderId, kind and preview; none for a recalled original; bad seqs refused", async () => {
    const long = "🙂".repeat(70);
    const original = await ack(carol, group.id, { kind: "text", text: long });
    const reply = await ack(bob, group.id, {
      kind: "text",
      text: "agreed",
      replyTo: { seq: original.seq, senderId: "mallory", kind: "image", preview: "forged" },
    });
    const pushed = (await pushedTo(alice, reply.messageId)).message as Message;
    expect(pushed.body).toEqual({
      kind: "text",
      text: "agreed",
      replyTo: { seq: original.seq, senderId: "carol", kind: "text", preview: "🙂".repeat(60) },
    });
    await ack(carol, group.id, recall(original.messageId));
    const toRecalled = await ack(bob, group.id, { kind: "text", text: "what was it?", replyTo: { seq: original.seq } });
    const stored = (await history(bob, group.id)).find((m) => m.id === toRecalled.messageId);
    expect(stored?.body).toEqual({
      kind: "text",
      text: "what was it?",
      replyTo: { seq: original.seq, senderId: "carol", kind: "recalled" },
    });
    const lastSeq = (await viewOf(bob, group.id)).lastSeq;
    for (const seq of [lastSeq + 1, 0, 10_000]) {
      expect(await refused(bob, group.id, { kind: "text", text: "?", replyTo: { seq } })).toBe("bad_request");
    }
    expect((await viewOf(bob, group.id)).lastSeq).toBe(lastSeq);
  });

  it("keeps settings per member, pushes them to every connection of the caller only, and lists pinned first", async () => {
    const g = await bob.api(server).createGroup("pin me", ["alice"]);
    await ack(alice, direct.id, { kind: "text", text: "direct is newer" });
    expect((await viewOf(alice, g.id)).settings).toEqual({ pinned: false, muted: false });
    const second = await TestClient.connect(server, "alice");
    const from = alice.frames.length;
    const fromSecond = second.frames.length;
    const fromBob = bob.frames.length;
    const patch = await alice.api(server).raw("PATCH", `/v1/conversations/${g.id}/settings`, {
      pinned: true,
      draft: "half-written 草稿",
    });
    expect(patch.status).toBe(200);
    const answered = (patch.body as { conversation: Conversation }).conversation;
    expect(answered.settings).toEqual({ pinned: true, muted: false, draft: "half-written 草稿" });
    const isSettings = (f: unknown): f is ConversationFrame =>
      (f as ConversationFrame).type === "conversation" && (f as ConversationFrame).conversation.id === g.id;
    for (const [client, index] of [
      [alice, from],
      [second, fromSecond],
    ] as const) {
      const frame = await client.waitFor(isSettings, undefined, { fromIndex: index });
      expect(frame.conversation.settings).toEqual(answered.settings);
      expect(frame.conversation.unread).toBe(answered.unread);
    }
    // Bob's view is untouched and he hears nothing of it: a later message reaches him with no conversation frame first.
    const marker = await ack(alice, g.id, { kind: "text", text: "after the patch" });
    await bob.waitFor((f) => f.type === "message" && f.message.id === marker.messageId, undefined, {
      fromIndex: fromBob,
    });
    expect(bob.frames.slice(fromBob).some(isSettings)).toBe(false);
    expect((await viewOf(bob, g.id)).settings).toEqual({ pinned: false, muted: false });
    // Pinned first, then by latest activity.
    const list = await alice.api(server).conversations();
    expect(list[0]?.id).toBe(g.id);
    const muted = await alice
      .api(server)
      .raw("PATCH", `/v1/conversations/${g.id}/settings`, { muted: true, draft: "" });
    expect((muted.body as { conversation: Conversation }).conversation.settings).toEqual({ pinned: true, muted: true });
    await second.close();
  });

  it("refuses bad settings with clear codes and changes nothing", async () => {
    const path = `/v1/conversations/${direct.id}/settings`;
    const before = (await viewOf(alice, direct.id)).settings;
    for (const [body, status] of [
      [{ pinned: "yes" }, 400],
      [{ muted: 1 }, 400],
      [{ draft: "x".repeat(4001) }, 400],
      [{ draft: 42 }, 400],
      [{ draft: "\ud800" }, 400],
    ] as const) {
      expect([body, (await alice.api(server).raw("PATCH", path, body)).status]).toEqual([body, status]);
    }
    expect((await alice.api(server).raw("PATCH", path, { draft: "🙂".repeat(4000) })).status).toBe(200);
    await alice.api(server).raw("PATCH", path, { draft: "" });
    expect((await viewOf(alice, direct.id)).settings).toEqual(before);
    expect((await carol.api(server).raw("PATCH", path, { pinned: true })).status).toBe(403);
    expect((await carol.api(server).raw("PATCH", "/v1/conversations/nosuch/settings", { pinned: true })).status).toBe(
      404,
    );
  });
});
