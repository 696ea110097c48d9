import { badRequest, forbidden, notFound } from "../app-error";
import type { ConversationRecord } from "../store/store";

/** Who someone is in a group. */
export type GroupRole = "owner" | "admin" | "member" | "none";

/** The management calls (PROTOCOL.md 1.1, "Groups people run"). */
export type GroupAction =
  | "add_members"
  | "update"
  | "remove_member"
  | "leave"
  | "transfer_owner"
  | "set_admin"
  | "mute_member"
  | "mute_all"
  | "dissolve";

export const GROUP_ACTIONS: readonly GroupAction[] = [
  "add_members",
  "update",
  "remove_member",
  "leave",
  "transfer_owner",
  "set_admin",
  "mute_member",
  "mute_all",
  "dissolve",
];

/** A call on another member: the roles it may be aimed at. */
type Targets = readonly GroupRole[];

/**
 * THE rules of who may do what, in one table (PROTOCOL.md 1.1, "Who may"):
 * per action and role of the caller, `true` (allowed), `false` (forbidden), or
 * for calls aimed at a member, the roles of the members it may be aimed at.
 * Non-members may do nothing; a call aimed at oneself is aimed at one's own
 * role (so nobody mutes, removes or transfers to themselves: leaving is its own
 * action). `test/group-permissions.test.ts` checks every cell on a real server.
 */
export const GROUP_PERMISSIONS: Readonly<Record<GroupAction, Readonly<Record<GroupRole, boolean | Targets>>>> = {
  add_members: { owner: true, admin: true, member: true, none: false },
  update: { owner: true, admin: true, member: false, none: false },
  remove_member: { owner: ["admin", "member"], admin: ["member"], member: [], none: [] },
  leave: { owner: true, admin: true, member: true, none: false },
  transfer_owner: { owner: ["admin", "member"], admin: [], member: [], none: [] },
  set_admin: { owner: ["admin", "member"], admin: [], member: [], none: [] },
  mute_member: { owner: ["admin", "member"], admin: ["member"], member: [], none: [] },
  mute_all: { owner: true, admin: true, member: false, none: false },
  dissolve: { owner: true, admin: false, member: false, none: false },
};

export function roleOf(group: ConversationRecord, userId: string): GroupRole {
  if (!group.memberIds.includes(userId)) return "none";
  if (group.ownerId === userId) return "owner";
  if (group.adminIds.includes(userId)) return "admin";
  return "member";
}

/**
 * Refuses the call unless the table allows it: a non-member is `forbidden`, a
 * direct conversation is `bad_request`, a dissolved group refuses everything
 * but leaving, a target who is not a member is `not_found`.
 */
export function requireAllowed(
  group: ConversationRecord,
  actorId: string,
  action: GroupAction,
  targetId?: string,
): void {
  const actor = roleOf(group, actorId);
  if (actor === "none") throw forbidden("not a member of this conversation");
  if (group.kind !== "group") throw badRequest("only groups are managed");
  if (group.dissolvedAt !== undefined && action !== "leave") throw forbidden("the group is dissolved");
  const rule = GROUP_PERMISSIONS[action][actor];
  if (typeof rule === "boolean") {
    if (!rule) throw forbidden(`a ${actor} may not ${action.replace("_", " ")}`);
    return;
  }
  if (targetId === undefined) throw new Error(`${action} needs a target`);
  const target = roleOf(group, targetId);
  if (target === "none") throw notFound("that user is not a member of this group");
  if (!rule.includes(target)) throw forbidden(`a ${actor} may not ${action.replace("_", " ")} a ${target}`);
}
