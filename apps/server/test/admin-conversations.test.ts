import type {
  AdminConversation,
  AdminConversationSummary,
  ConversationRemovedFrame,
  MessageFrame,
} from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { type StoreKind, startTestServer, type TestServer } from "./support/server";

/** PROTOCOL.md "Operators": conversations (look up, a user's list, remove a member, dissolve), on both stores. */

const ADMIN_TOKEN = "admin-token-for-conversations-0123456789";

const removedFrom =
  (conversationId: string, reason: string) =>
  (frame: { type: string }): frame is ConversationRemovedFrame =>
    frame.type === "conversation_removed" &&
    (frame as ConversationRemovedFrame).conversationId === conversationId &&
    (frame as ConversationRemovedFrame).reason === reason;

describe.each<StoreKind>(["sqlite", "mysql"])("admin conversations (%s)", (kind) => {
  let server: TestServer;
  let clock = Date.now();
  const clients: TestClient[] = [];
  const admin = (method: string, path: string, body?: unknown) =>
    rawRequest(server, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });
  const lookup = async (id: string): Promise<AdminConversation> => {
    const answer = await admin("GET", `/v1/admin/conversations/${id}`);
    expect(answer.status).toBe(200);
    return (answer.body as { conversation: AdminConversation }).conversation;
  };
  const connect = async (userId: string, name?: string): Promise<TestClient> => {
    const client = await TestClient.connect(server, `${kind}-${userId}`, name);
    clients.push(client);
    return client;
  };
  /** A group of owner, admin and two members, with one text in it. */
  const makeGroup = async (tag: string) => {
    const [owner, adminUser, member, other] = await Promise.all(
      ["own", "adm", "mem", "oth"].map((role) => connect(`${tag}-${role}`, `${tag} ${role} 名字`)),
    );
    if (!owner || !adminUser || !member || !other) throw new Error("not connected");
    const ids = [adminUser, member, other].map((c) => c.userId);
    const group = await owner.api(server).createGroup(`群 ${tag} 🎉`, ids);
    await owner.api(server).setAdmin(group.id, adminUser.userId, true);
    clock += 1_000;
    expect(await member.sendText(group.id, "hello 👋")).toMatchObject({ type: "ack" });
    return { id: group.id, owner, adminUser, member, other };
  };

  beforeAll(async () => {
    server = await startTestServer({ store: kind, config: { adminToken: ADMIN_TOKEN }, deps: { now: () => clock } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.close();
  });

  it("looks up a group (roles, members, last seq and activity) and a direct conversation; lists a user's", async () => {
    const g = await makeGroup("look");
    const conversation = await lookup(g.id);
    expect(conversation).toMatchObject({
      id: g.id,
      kind: "group",
      title: "群 look 🎉",
      memberCount: 4,
      ownerId: g.owner.userId,
      adminIds: [g.adminUser.userId],
      lastSeq: 2, // admins_changed, then the text
      lastActivityAt: clock,
    });
    expect(conversation).not.toHaveProperty("dissolved");
    expect(conversation.members.map((m) => [m.user.id, m.role])).toEqual([
      [g.owner.userId, "owner"],
      [g.adminUser.userId, "admin"],
      [g.member.userId, "member"],
      [g.other.userId, "member"],
    ]);
    expect(conversation.members[2]?.user.name).toBe("look mem 名字");

    const direct = await g.member.api(server).createDirect(g.other.userId);
    const directView = await lookup(direct.id);
    expect(directView).toMatchObject({ kind: "direct", memberCount: 2, lastSeq: 0 });
    expect(directView).not.toHaveProperty("ownerId");
    expect(directView.members.map((m) => m.role)).toEqual(["member", "member"]);

    const listed = await admin("GET", `/v1/admin/users/${g.member.userId}/conversations`);
    expect(listed.status).toBe(200);
    const summaries = (listed.body as { conversations: AdminConversationSummary[] }).conversations;
    expect(summaries.map((s) => s.id).sort()).toEqual([g.id, direct.id].sort());
    expect(summaries.find((s) => s.id === g.id)).toEqual({
      id: g.id,
      kind: "group",
      title: "群 look 🎉",
      memberCount: 4,
      lastSeq: 2,
      lastActivityAt: clock,
    });
    const [entry] = await server.store.listAudit(1);
    expect(entry).toMatchObject({ action: "user.conversations", target: g.member.userId, status: 200 });
  });

  it("refuses bad input with clear 400 or 404 answers; nothing changes and the server keeps serving", async () => {
    const g = await makeGroup("bad");
    const direct = await g.member.api(server).createDirect(g.other.userId);
    const before = await lookup(g.id);
    const m = g.member.userId;
    const calls: [string, string, unknown, number, string][] = [
      ["GET", "/v1/admin/conversations/no-such-conversation", undefined, 404, "no such conversation"],
      ["GET", "/v1/admin/conversations/bad%20id!", undefined, 400, "id"],
      ["GET", `/v1/admin/conversations/${"x".repeat(65)}`, undefined, 400, "id"],
      ["GET", "/v1/admin/users/no-such-user/conversations", undefined, 404, "no such user"],
      ["GET", "/v1/admin/users/bad%20id!/conversations", undefined, 400, "id"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, undefined, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, {}, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, { reason: "" }, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, { reason: "   " }, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, { reason: "x".repeat(501) }, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, { reason: "lone \ud800" }, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, { reason: 42 }, 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${m}`, [], 400, "reason"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/bad%20id!`, { reason: "x" }, 400, "userId"],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/nobody-here`, { reason: "x" }, 404, "not a member"],
      ["DELETE", `/v1/admin/conversations/no-such-group/members/${m}`, { reason: "x" }, 404, "no such conversation"],
      ["DELETE", `/v1/admin/conversations/${direct.id}/members/${m}`, { reason: "x" }, 400, "only groups"],
      ["POST", `/v1/admin/conversations/${g.id}/dissolve`, undefined, 400, "reason"],
      ["POST", `/v1/admin/conversations/${g.id}/dissolve`, { reason: "" }, 400, "reason"],
      ["POST", `/v1/admin/conversations/${g.id}/dissolve`, { reason: "🙈".repeat(501) }, 400, "reason"],
      ["POST", `/v1/admin/conversations/${g.id}/dissolve`, { reason: ["spam"] }, 400, "reason"],
      ["POST", "/v1/admin/conversations/no-such-group/dissolve", { reason: "x" }, 404, "no such conversation"],
      ["POST", "/v1/admin/conversations/bad%20id!/dissolve", { reason: "x" }, 400, "id"],
      ["POST", `/v1/admin/conversations/${direct.id}/dissolve`, { reason: "x" }, 400, "only groups"],
    ];
    for (const [method, path, body, status, words] of calls) {
      const answer = await admin(method, path, body);
      expect({ method, path, body, status: answer.status }).toEqual({ method, path, body, status });
      expect(answer.body).toMatchObject({
        error: { code: status === 400 ? "bad_request" : "not_found", message: expect.stringContaining(words) },
      });
    }
    expect(await lookup(g.id)).toEqual(before);
    expect((await lookup(direct.id)).memberCount).toBe(2);
    expect(await g.member.sendText(g.id, "still here")).toMatchObject({ type: "ack" });
  });

  it("answers 401 without the token and audits nothing", async () => {
    const g = await makeGroup("auth");
    const before = await server.store.listAudit(500);
    for (const [method, path] of [
      ["GET", `/v1/admin/conversations/${g.id}`],
      ["GET", `/v1/admin/users/${g.member.userId}/conversations`],
      ["DELETE", `/v1/admin/conversations/${g.id}/members/${g.member.userId}`],
      ["POST", `/v1/admin/conversations/${g.id}/dissolve`],
    ] as const) {
      for (const token of [undefined, `${ADMIN_TOKEN}x`, g.owner.token]) {
        const answer = await rawRequest(server, method, path, {
          ...(token === undefined ? {} : { token }),
          ...(method === "GET" ? {} : { body: { reason: "nope" } }),
        });
        expect({ path, status: answer.status }).toEqual({ path, status: 401 });
      }
    }
    expect(await server.store.listAudit(500)).toEqual(before);
    expect((await lookup(g.id)).memberCount).toBe(4);
  });

  it("removes a member (any role) as moderation: their sockets hear conversation_removed, the rest a system message", async () => {
    const g = await makeGroup("rm");
    const removed = g.member.waitFor(removedFrom(g.id, "removed"));
    const told = g.owner.waitFor(
      (f): f is MessageFrame => f.type === "message" && f.message.body.kind === "system" && f.conversationId === g.id,
      undefined,
      { fromIndex: g.owner.frames.length },
    );
    clock += 1_000;
    const answer = await admin("DELETE", `/v1/admin/conversations/${g.id}/members/${g.member.userId}`, {
      reason: "骚扰 😡 <b>",
    });
    expect(answer.status).toBe(200);
    const after = (answer.body as { conversation: AdminConversation }).conversation;
    expect(after.members.map((m) => m.user.id)).not.toContain(g.member.userId);
    expect(after.memberCount).toBe(3);
    await removed;
    expect((await told).message).toMatchObject({
      senderId: "system",
      body: { kind: "system", event: "member_removed", userIds: [g.member.userId] },
    });
    expect(await g.member.sendText(g.id, "let me in")).toMatchObject({ type: "error", code: "forbidden" });
    const [entry] = await server.store.listAudit(1);
    expect(entry).toMatchObject({
      action: "conversation.remove_member",
      target: `${g.id}/${g.member.userId}`,
      reason: "骚扰 😡 <b>",
      status: 200,
      at: clock,
    });

    // The owner too: the admin takes the group over, as when an owner leaves.
    const ownerRemoved = g.owner.waitFor(removedFrom(g.id, "removed"));
    const again = await admin("DELETE", `/v1/admin/conversations/${g.id}/members/${g.owner.userId}`, {
      reason: "owner spams",
    });
    expect(again.status).toBe(200);
    await ownerRemoved;
    const taken = (again.body as { conversation: AdminConversation }).conversation;
    expect(taken.ownerId).toBe(g.adminUser.userId);
    expect(taken.members.map((m) => [m.user.id, m.role])).toEqual([
      [g.adminUser.userId, "owner"],
      [g.other.userId, "member"],
    ]);
    expect(await g.other.sendText(g.id, "we go on")).toMatchObject({ type: "ack" });
  });

  it("dissolves a group: every member's sockets hear conversation_removed (dissolved); nothing can be sent there", async () => {
    const g = await makeGroup("dis");
    const members = [g.owner, g.adminUser, g.member, g.other];
    const heard = members.map((c) => c.waitFor(removedFrom(g.id, "dissolved")));
    clock += 1_000;
    const answer = await admin("POST", `/v1/admin/conversations/${g.id}/dissolve`, { reason: "违规群 🚫" });
    expect(answer.status).toBe(200);
    const after = (answer.body as { conversation: AdminConversation }).conversation;
    expect(after).toMatchObject({ dissolved: true, memberCount: 0, members: [], lastSeq: 3 });
    await Promise.all(heard);
    for (const client of members) {
      expect(await client.sendText(g.id, "anyone?")).toMatchObject({ type: "error", code: "forbidden" });
      expect((await client.api(server).conversations()).some((c) => c.id === g.id)).toBe(false);
      // Nothing of it reaches them after the removal: not the dissolve's own system message.
      expect(client.messagesIn(g.id).some((f) => f.message.body.kind === "system" && f.message.seq === 3)).toBe(false);
    }
    const [entry] = await server.store.listAudit(1);
    expect(entry).toMatchObject({ action: "conversation.dissolve", target: g.id, reason: "违规群 🚫", status: 200 });
    // Again: answered as it is, nothing more stored.
    const twice = await admin("POST", `/v1/admin/conversations/${g.id}/dissolve`, { reason: "again" });
    expect(twice.status).toBe(200);
    expect((twice.body as { conversation: AdminConversation }).conversation.lastSeq).toBe(3);
  });

  it("dissolves a group its owner already dissolved: the members still in it are removed", async () => {
    const g = await makeGroup("owned");
    await g.owner.api(server).dissolve(g.id);
    const heard = g.other.waitFor(removedFrom(g.id, "dissolved"));
    const answer = await admin("POST", `/v1/admin/conversations/${g.id}/dissolve`, { reason: "clean up" });
    expect(answer.status).toBe(200);
    expect((answer.body as { conversation: AdminConversation }).conversation).toMatchObject({
      dissolved: true,
      members: [],
    });
    await heard;
    expect((await g.other.api(server).conversations()).some((c) => c.id === g.id)).toBe(false);
  });
});
