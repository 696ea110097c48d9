import type { Conversation } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GROUP_ACTIONS, type GroupAction } from "../src/chat/group-permissions";
import { devLogin, type RawAnswer, rawRequest } from "./support/api";
import { startTestServer, type TestServer } from "./support/server";

/**
 * The role × action matrix on a real server: every role of the caller (owner,
 * admin, member, non-member) × every management call (× every role of its target,
 * for calls aimed at a member) → the status PROTOCOL.md 1.1 says ("Who may").
 * The expectations are written out here, not read from src/chat/group-permissions.ts:
 * a wrong cell in that table fails this test. A refusal stores nothing; an allowed
 * call stores its system message(s) with the caller as sender.
 */

type Actor = "owner" | "admin" | "member" | "none";
type Target = "owner" | "admin" | "member";
const ACTORS: readonly Actor[] = ["owner", "admin", "member", "none"];
const TARGETS: readonly Target[] = ["owner", "admin", "member"];

const UNTARGETED: Record<string, Record<Actor, number>> = {
  add_members: { owner: 200, admin: 200, member: 200, none: 403 },
  update: { owner: 200, admin: 200, member: 403, none: 403 },
  leave: { owner: 204, admin: 204, member: 204, none: 403 },
  mute_all: { owner: 200, admin: 200, member: 403, none: 403 },
  dissolve: { owner: 200, admin: 403, member: 403, none: 403 },
};
/** [actor][target]; a call aimed at one's own role is aimed at oneself (removing oneself is leaving: 204). */
const TARGETED: Record<string, Record<Actor, Record<Target, number>>> = {
  remove_member: {
    owner: { owner: 204, admin: 200, member: 200 },
    admin: { owner: 403, admin: 403, member: 200 },
    member: { owner: 403, admin: 403, member: 403 },
    none: { owner: 403, admin: 403, member: 403 },
  },
  transfer_owner: {
    owner: { owner: 403, admin: 200, member: 200 },
    admin: { owner: 403, admin: 403, member: 403 },
    member: { owner: 403, admin: 403, member: 403 },
    none: { owner: 403, admin: 403, member: 403 },
  },
  set_admin: {
    owner: { owner: 403, admin: 200, member: 200 },
    admin: { owner: 403, admin: 403, member: 403 },
    member: { owner: 403, admin: 403, member: 403 },
    none: { owner: 403, admin: 403, member: 403 },
  },
  mute_member: {
    owner: { owner: 403, admin: 200, member: 200 },
    admin: { owner: 403, admin: 403, member: 200 },
    member: { owner: 403, admin: 403, member: 403 },
    none: { owner: 403, admin: 403, member: 403 },
  },
};

describe("who may manage a group: every role × every action", { timeout: 120_000 }, () => {
  let server: TestServer;
  const tokens = new Map<string, string>();
  const suffix = Math.random().toString(36).slice(2, 8);
  const user = (name: string) => `${name}_${suffix}`;
  // Two of each role, so that "an admin on another admin" and "a member on another member" are real cells.
  const names = ["owner", "admin", "admin2", "member", "member2", "none", "newcomer"];

  beforeAll(async () => {
    server = await startTestServer();
    for (const name of names) tokens.set(name, (await devLogin(server, user(name))).token);
  });
  afterAll(async () => {
    await server?.close();
  });

  const as = (name: string, method: string, path: string, body?: unknown): Promise<RawAnswer> =>
    rawRequest(server, method, path, { token: tokens.get(name) ?? "", body });

  /** A fresh group: owner, admins admin and admin2, members member and member2 (none is outside). */
  async function freshGroup(): Promise<string> {
    const created = await as("owner", "POST", "/v1/conversations", {
      kind: "group",
      title: "matrix",
      memberIds: ["admin", "admin2", "member", "member2"].map(user),
    });
    const id = (created.body as { conversation: Conversation }).conversation.id;
    for (const admin of ["admin", "admin2"]) {
      const made = await as("owner", "POST", `/v1/conversations/${id}/admins`, { userId: user(admin), admin: true });
      expect(made.status).toBe(200);
    }
    return id;
  }

  /** The actor's user for a role, and the target for a targeted call (another one of the role when it is the actor's). */
  const actorName = (actor: Actor) => actor;
  const targetName = (actor: Actor, target: Target) => (target === actor && target !== "owner" ? `${target}2` : target);

  function call(action: GroupAction, actor: string, id: string, target?: string): Promise<RawAnswer> {
    const base = `/v1/conversations/${id}`;
    const targetId = target === undefined ? "" : user(target);
    switch (action) {
      case "add_members":
        return as(actor, "POST", `${base}/members`, { userIds: [user("newcomer")] });
      case "update":
        return as(actor, "PATCH", base, { title: "renamed" });
      case "leave":
        return as(actor, "DELETE", `${base}/members/${user(actor)}`);
      case "mute_all":
        return as(actor, "POST", `${base}/mute`, { untilMs: Date.now() + 3_600_000 });
      case "dissolve":
        return as(actor, "DELETE", base);
      case "remove_member":
        return as(actor, "DELETE", `${base}/members/${targetId}`);
      case "transfer_owner":
        return as(actor, "POST", `${base}/owner`, { userId: targetId });
      case "set_admin":
        return as(actor, "POST", `${base}/admins`, { userId: targetId, admin: target !== "admin" });
      case "mute_member":
        return as(actor, "POST", `${base}/mute`, { userId: targetId, untilMs: Date.now() + 3_600_000 });
    }
  }

  const cells: { action: GroupAction; actor: Actor; target?: Target; status: number }[] = [];
  for (const action of GROUP_ACTIONS) {
    const untargeted = UNTARGETED[action];
    const targeted = TARGETED[action];
    for (const actor of ACTORS) {
      if (untargeted) cells.push({ action, actor, status: untargeted[actor] });
      if (targeted)
        for (const target of TARGETS) cells.push({ action, actor, target, status: targeted[actor][target] });
    }
  }

  it("names every action of the server's table in this test's expectations", () => {
    for (const action of GROUP_ACTIONS) expect(Boolean(UNTARGETED[action] ?? TARGETED[action]), action).toBe(true);
    expect(cells).toHaveLength(5 * 4 + 4 * 4 * 3);
  });

  for (const cell of cells) {
    const title = `${cell.actor} × ${cell.action}${cell.target ? ` → ${cell.target}` : ""}: ${cell.status}`;
    it(title, async () => {
      const id = await freshGroup();
      const before = await server.store.getConversation(id);
      const actor = actorName(cell.actor);
      const target = cell.target === undefined ? undefined : targetName(cell.actor, cell.target);
      const answer = await call(cell.action, actor, id, target);
      expect(answer.status, JSON.stringify(answer.body)).toBe(cell.status);
      const after = await server.store.getConversation(id);
      if (cell.status === 403) {
        expect(answer.body).toMatchObject({ error: { code: "forbidden" } });
        // Nothing stored: the same members, roles, state and seq.
        expect(after).toEqual(before);
        return;
      }
      const stored = (after?.lastSeq ?? 0) - (before?.lastSeq ?? 0);
      // An owner leaving (or removing themselves) passes the group on: member_left, then owner_changed.
      const ownerLeaves = cell.actor === "owner" && (cell.action === "leave" || cell.target === "owner");
      expect(stored).toBe(ownerLeaves ? 2 : 1);
      const page = await server.store.listMessages(id, { afterSeq: before?.lastSeq ?? 0, limit: 10 });
      for (const message of page.messages) {
        expect(message.senderId).toBe(user(actor));
        expect(message.body.kind).toBe("system");
      }
    });
  }

  it("answers 400 bad_request for every management call on a direct conversation, and 404 for an unknown one", async () => {
    const direct = await as("owner", "POST", "/v1/conversations", { kind: "direct", peerId: user("member") });
    const id = (direct.body as { conversation: Conversation }).conversation.id;
    for (const action of GROUP_ACTIONS) {
      const answer = await call(action, "owner", id, "member");
      expect([action, answer.status, answer.body]).toMatchObject([action, 400, { error: { code: "bad_request" } }]);
    }
    const before = await server.store.getConversation(id);
    expect(before?.lastSeq).toBe(0);
    for (const action of GROUP_ACTIONS) {
      const answer = await call(action, "owner", "no_such_group", "member");
      expect([action, answer.status]).toEqual([action, 404]);
    }
  });
});
