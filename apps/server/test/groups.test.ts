import type { Conversation, Message, ServerFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, expectAck, expectError, sentinel, uid, waitForMessage } from "./contract/scenario";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/**
 * Groups people run (PROTOCOL.md 1.1): each management call's system message in
 * the stream and its `conversation` frame, leaving and passing ownership,
 * dissolving, mutes that end by themselves, and removal: `conversation_removed`
 * on every connection and nothing more of the conversation after it.
 */
describe("groups people run", { timeout: 60_000 }, () => {
  let server: TestServer;
  let clock = Date.now();
  const clients: TestClient[] = [];
  const connect = async (name: string, userId = uid(name)) => {
    const client = await TestClient.connect(server, userId);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // The server's clock is this test's: a mute ends when the test moves it past untilMs.
    server = await startTestServer({ deps: { now: () => clock } });
  });
  afterAll(async () => {
    await closeAll(clients);
    await server?.close();
  });

  const systemMessages = async (conversationId: string): Promise<Message[]> => {
    const { messages } = await server.store.listMessages(conversationId, { afterSeq: 0, limit: 200 });
    return messages.filter((m) => m.body.kind === "system");
  };
  const conversationFrame = (client: TestClient, id: string, from: number, test: (c: Conversation) => boolean) =>
    client.waitFor((f) => f.type === "conversation" && f.conversation.id === id && test(f.conversation), undefined, {
      fromIndex: from,
    });

  it("shows roles on every group view, and each change as one system message by its maker, pushed in order", async () => {
    const [alice, bob, carol] = await Promise.all(["alice", "bob", "carol"].map((n) => connect(n)));
    if (!alice || !bob || !carol) throw new Error("setup");
    const created = await alice.api(server).createGroup("team", [bob.userId]);
    expect(created).toMatchObject({ ownerId: alice.userId, adminIds: [], mutedAll: false });
    expect(created.dissolved).toBeUndefined();
    // Creating a group makes no system message.
    expect(created.lastSeq).toBe(0);
    const id = created.id;
    const marks = [alice, bob, carol].map((c) => c.frames.length);

    await bob.api(server).addMembers(id, [carol.userId]);
    await alice.api(server).setAdmin(id, bob.userId, true);
    await bob.api(server).updateGroup(id, { title: "renamed", announcement: "read me" });
    const until = clock + 60_000;
    await bob.api(server).mute(id, until, carol.userId);
    await alice.api(server).mute(id, until);
    await alice.api(server).mute(id, 0);
    const view = await alice.api(server).transferOwner(id, bob.userId);
    expect(view).toMatchObject({ ownerId: bob.userId, adminIds: [], title: "renamed", announcement: "read me" });

    const expected = [
      { senderId: bob.userId, body: { kind: "system", event: "members_added", userIds: [carol.userId] } },
      { senderId: alice.userId, body: { kind: "system", event: "admins_changed", userIds: [bob.userId], admin: true } },
      { senderId: bob.userId, body: { kind: "system", event: "title_changed", title: "renamed" } },
      { senderId: bob.userId, body: { kind: "system", event: "announcement_changed", announcement: "read me" } },
      { senderId: bob.userId, body: { kind: "system", event: "muted", userIds: [carol.userId], untilMs: until } },
      { senderId: alice.userId, body: { kind: "system", event: "muted_all", untilMs: until } },
      { senderId: alice.userId, body: { kind: "system", event: "unmuted_all" } },
      { senderId: alice.userId, body: { kind: "system", event: "owner_changed", userIds: [bob.userId] } },
    ];
    const stored = await systemMessages(id);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stored).toMatchObject(expected);
    // Every member's connection got them as ordinary messages, in seq order (carol from her addition on).
    for (const [i, client] of [alice, bob, carol].entries()) {
      await waitForMessage(client, stored[7]?.id ?? "");
      const seqs = client.frames
        .slice(marks[i])
        .filter((f) => f.type === "message" && f.conversationId === id)
        .map((f) => (f.type === "message" ? f.message.seq : 0));
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
    // And a conversation frame after each: carol sees her own mute, the others do not see one.
    const carolView = await conversationFrame(carol, id, 0, (c) => c.mutedUntil !== undefined);
    expect(carolView.type === "conversation" && carolView.conversation.mutedUntil).toBe(until);
    const list = await alice.api(server).conversations();
    const listed = list.find((c) => c.id === id);
    expect(listed).toMatchObject({ ownerId: bob.userId, adminIds: [], mutedAll: false });
    expect(listed?.mutedUntil).toBeUndefined();
  });

  it("refuses a muted member's send until the mute ends by itself; mute-all spares owner and admins", async () => {
    const [owner, admin, member] = await Promise.all(["owner", "admin", "member"].map((n) => connect(n)));
    if (!owner || !admin || !member) throw new Error("setup");
    const { id } = await owner.api(server).createGroup("quiet", [admin.userId, member.userId]);
    await owner.api(server).setAdmin(id, admin.userId, true);
    const until = clock + 10_000;
    await admin.api(server).mute(id, until, member.userId);
    expectError(await member.sendText(id, "hello?"), "forbidden");
    // Any kind of send: an image too (refused before its media is looked at).
    const image = await member.request({
      type: "send",
      conversationId: id,
      clientMsgId: uid("img"),
      body: { kind: "image", mediaId: "whatever", width: 1, height: 1 },
    });
    expectError(image, "forbidden");
    expectAck(await owner.sendText(id, "owner speaks"));
    clock = until; // the mute ends at untilMs
    expectAck(await member.sendText(id, "free again"));
    const view = (await member.api(server).conversations()).find((c) => c.id === id);
    expect(view?.mutedUntil).toBeUndefined();

    const allUntil = clock + 10_000;
    const muted = await admin.api(server).mute(id, allUntil);
    expect(muted).toMatchObject({ mutedAll: true, mutedAllUntil: allUntil });
    expectError(await member.sendText(id, "everyone muted?"), "forbidden");
    expectAck(await admin.sendText(id, "admins may"));
    expectAck(await owner.sendText(id, "owners may"));
    clock = allUntil + 1;
    expectAck(await member.sendText(id, "over"));
    expect((await member.api(server).conversations()).find((c) => c.id === id)?.mutedAll).toBe(false);
  });

  it("an owner who leaves passes the group to the longest-standing admin, else member; the last one dissolves it", async () => {
    const [a, b, c, d] = await Promise.all(["a", "b", "c", "d"].map((n) => connect(n)));
    if (!a || !b || !c || !d) throw new Error("setup");
    const { id } = await a.api(server).createGroup("passing", [b.userId, c.userId, d.userId]);
    await a.api(server).setAdmin(id, d.userId, true);
    await a.api(server).setAdmin(id, c.userId, true);
    // c joined before d: c is the longest-standing admin, whoever was made admin first.
    const left = await a.api(server).raw("DELETE", `/v1/conversations/${id}/members/${a.userId}`);
    expect(left.status).toBe(204);
    let record = await server.store.getConversation(id);
    expect(record).toMatchObject({
      ownerId: c.userId,
      adminIds: [d.userId],
      memberIds: [b.userId, c.userId, d.userId],
    });
    const tail = (await systemMessages(id)).slice(-2);
    expect(tail.map((m) => [m.senderId, m.body])).toEqual([
      [a.userId, { kind: "system", event: "member_left", userIds: [a.userId] }],
      [a.userId, { kind: "system", event: "owner_changed", userIds: [c.userId] }],
    ]);
    // No admin left: the longest-standing member.
    await c.api(server).setAdmin(id, d.userId, false);
    await c.api(server).removeMember(id, c.userId);
    record = await server.store.getConversation(id);
    expect(record?.ownerId).toBe(b.userId);
    await b.api(server).removeMember(id, b.userId);
    await d.api(server).removeMember(id, d.userId);
    record = await server.store.getConversation(id);
    expect(record?.memberIds).toEqual([]);
    expect(record?.dissolvedAt).toBeDefined();
    expect((await systemMessages(id)).at(-1)?.body).toEqual({ kind: "system", event: "dissolved" });
  });

  it("dissolving: send and typing forbidden; history, sync and read still work; it stays listed", async () => {
    const [owner, member] = await Promise.all(["owner", "member"].map((n) => connect(n)));
    if (!owner || !member) throw new Error("setup");
    const { id } = await owner.api(server).createGroup("ending", [member.userId]);
    expectAck(await member.sendText(id, "before"));
    const mark = member.frames.length;
    const dissolved = await owner.api(server).dissolve(id);
    expect(dissolved).toMatchObject({ dissolved: true, lastSeq: 2 });
    await conversationFrame(member, id, mark, (c) => c.dissolved === true);
    expectError(await member.sendText(id, "after"), "forbidden");
    const from = member.frames.length;
    member.socket.send(JSON.stringify({ type: "typing", conversationId: id }));
    // typing has no id: its refusal neither.
    expectError(await member.waitFor((f) => f.type === "error", undefined, { fromIndex: from }), "forbidden");
    const sync = await member.request({ type: "sync", conversationId: id, afterSeq: 0 });
    expect(sync.type === "batch" && sync.messages.map((m) => m.body.kind)).toEqual(["text", "system"]);
    expect((await member.request({ type: "read", id: "r", conversationId: id, seq: 2 })).type).toBe("ok");
    expect((await member.api(server).history(id)).messages).toHaveLength(2);
    expect((await member.api(server).conversations()).find((c) => c.id === id)?.dissolved).toBe(true);
    // No conversation_removed for a dissolved group.
    expect(member.frames.some((f) => f.type === "conversation_removed")).toBe(false);
    // Every other management call is refused now.
    expect((await owner.api(server).raw("PATCH", `/v1/conversations/${id}`, { title: "again" })).status).toBe(403);
  });

  it("removal: conversation_removed on every connection, then nothing more of it and every request forbidden", async () => {
    const [alice, carol] = await Promise.all(["alice", "carol"].map((n) => connect(n)));
    const bobId = uid("bob");
    const [bobPhone, bobLaptop] = [await connect("bob", bobId), await connect("bob", bobId)];
    if (!alice || !carol || !bobPhone || !bobLaptop) throw new Error("setup");
    const { id } = await alice.api(server).createGroup("removal", [bobId, carol.userId]);
    const direct = await alice.api(server).createDirect(bobId);
    expectAck(await bobPhone.sendText(id, "I am here"));
    const view = await alice.api(server).removeMember(id, bobId);
    expect(view?.memberIds).toEqual([alice.userId, carol.userId]);
    const marks: number[] = [];
    for (const bob of [bobPhone, bobLaptop]) {
      const removed = await bob.waitFor((f) => f.type === "conversation_removed");
      expect(removed).toEqual({ type: "conversation_removed", conversationId: id, reason: "removed" });
      // From this frame on, nothing more of the conversation.
      marks.push(bob.frames.indexOf(removed) + 1);
    }
    const refusals: ServerFrame[] = [
      await bobPhone.sendText(id, "still?"),
      await bobPhone.request({ type: "sync", conversationId: id, afterSeq: 0 }),
      await bobLaptop.request({ type: "read", id: "r", conversationId: id, seq: 1 }),
    ];
    for (const answer of refusals) expectError(answer, "forbidden");
    expect((await bobPhone.api(server).raw("GET", `/v1/conversations/${id}/messages`)).status).toBe(403);
    expect((await bobPhone.api(server).conversations()).map((c) => c.id)).not.toContain(id);
    // The others go on; bob's devices get nothing of it (the direct sentinel proves the rest arrived).
    bobLaptop.socket.send(JSON.stringify({ type: "typing", conversationId: id }));
    carol.socket.send(JSON.stringify({ type: "typing", conversationId: id }));
    expectAck(await carol.sendText(id, "bob is gone"));
    expect((await carol.request({ type: "read", id: "r", conversationId: id, seq: 3 })).type).toBe("ok");
    await sentinel(alice, direct.id, [bobPhone, bobLaptop]);
    for (const [i, bob] of [bobPhone, bobLaptop].entries()) {
      const after = bob.frames
        .slice(marks[i])
        .filter((f) => "conversationId" in f && f.conversationId === id && f.type !== "conversation_removed");
      const conversations = bob.frames
        .slice(marks[i])
        .filter((f) => f.type === "conversation" && f.conversation.id === id);
      expect([...after, ...conversations]).toEqual([]);
    }
    // bob never got the system message of his own removal; the others did.
    const removal = (await systemMessages(id)).at(-1);
    expect(removal?.body).toEqual({ kind: "system", event: "member_removed", userIds: [bobId] });
    await waitForMessage(carol, removal?.id ?? "");

    // Added again: he hears of it and takes part again.
    await alice.api(server).addMembers(id, [bobId]);
    await conversationFrame(bobPhone, id, 0, (c) => c.memberIds.includes(bobId));
    expectAck(await bobPhone.sendText(id, "back"));
  });

  it("a member who leaves gets conversation_removed (left) and 204; others get member_left", async () => {
    const [alice, bob] = await Promise.all(["alice", "bob"].map((n) => connect(n)));
    if (!alice || !bob) throw new Error("setup");
    const { id } = await alice.api(server).createGroup("leaving", [bob.userId]);
    expect(await bob.api(server).removeMember(id, bob.userId)).toBeUndefined();
    expect(await bob.waitFor((f) => f.type === "conversation_removed")).toMatchObject({
      conversationId: id,
      reason: "left",
    });
    const left = (await systemMessages(id)).at(-1);
    expect(left).toMatchObject({ senderId: bob.userId, body: { event: "member_left", userIds: [bob.userId] } });
    await waitForMessage(alice, left?.id ?? "");
    // Leaving again: no longer a member.
    expect((await bob.api(server).raw("DELETE", `/v1/conversations/${id}/members/${bob.userId}`)).status).toBe(403);
  });

  it("refuses bad management input with 400 and stores nothing; a client cannot send a system body", async () => {
    const [owner, member] = await Promise.all(["owner", "member"].map((n) => connect(n)));
    if (!owner || !member) throw new Error("setup");
    const { id } = await owner.api(server).createGroup("strict", [member.userId]);
    const bad: [string, string, unknown][] = [
      ["PATCH", "", {}],
      ["PATCH", "", { title: "" }],
      ["PATCH", "", { title: "a\nb" }],
      ["PATCH", "", { title: "x".repeat(101) }],
      ["PATCH", "", { announcement: "x".repeat(1001) }],
      ["PATCH", "", { announcement: "bidi \u202e" }],
      ["PATCH", "", { title: 5 }],
      ["PATCH", "", { title: "\ud800" }],
      ["POST", "/owner", {}],
      ["POST", "/owner", { userId: "has space" }],
      ["POST", "/admins", { userId: member.userId }],
      ["POST", "/admins", { userId: member.userId, admin: "yes" }],
      ["POST", "/mute", { userId: member.userId }],
      ["POST", "/mute", { userId: member.userId, untilMs: -1 }],
      ["POST", "/mute", { userId: member.userId, untilMs: 1.5 }],
      ["POST", "/mute", { userId: member.userId, untilMs: clock - 1 }],
      ["POST", "/mute", { untilMs: "soon" }],
      ["DELETE", "/members/has%20space", undefined],
    ];
    for (const [method, path, body] of bad) {
      const answer = await owner.api(server).raw(method, `/v1/conversations/${id}${path}`, body);
      expect([method, path, body, answer.status]).toEqual([method, path, body, 400]);
      expect(answer.body).toMatchObject({ error: { code: "bad_request" } });
    }
    const system = await member.request({
      type: "send",
      conversationId: id,
      clientMsgId: uid("sys"),
      body: { kind: "system", event: "dissolved" },
    } as never);
    expectError(system, "bad_request");
    expect((await server.store.getConversation(id))?.lastSeq).toBe(0);
    // A target who is not a member: 404.
    expect(
      (await owner.api(server).raw("POST", `/v1/conversations/${id}/owner`, { userId: "nobody_here" })).status,
    ).toBe(404);
    // The server keeps serving.
    expectAck(await member.sendText(id, "still fine"));
  });
});
