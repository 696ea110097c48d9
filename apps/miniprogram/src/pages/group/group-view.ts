import type { Conversation } from "@mpchat/client";
import { strings } from "../../strings";
import type { AvatarView } from "../../view/avatar";
import { type Faces, idFaces } from "../../view/faces";
import { type GroupRole, manages, roleOf } from "../../view/roles";

/** One cell of the members grid. */
export interface MemberCell {
  id: string;
  name: string;
  face: AvatarView;
  /** "群主" / "管理员" / "". */
  badge: string;
  role: GroupRole;
}

/** What the group info page shows, and what my role lets me do there. */
export interface GroupView {
  title: string;
  announcement: string;
  members: MemberCell[];
  role: GroupRole;
  /** Title, announcement, mute all: owner and admins. */
  canEdit: boolean;
  /** Owner: admins and members; admin: members. */
  canRemove: boolean;
  isOwner: boolean;
  pinned: boolean;
  muted: boolean;
  mutedAll: boolean;
}

const RANK: Record<GroupRole, number> = { owner: 0, admin: 1, member: 2 };

/** Whether `actor` may remove `target` (the server's table: owner → admins, members; admin → members). */
export function mayRemove(actor: GroupRole, target: GroupRole): boolean {
  return (actor === "owner" && target !== "owner") || (actor === "admin" && target === "member");
}

export function groupViewOf(conversation: Conversation, me: string, faces: Faces = idFaces): GroupView {
  const role = roleOf(conversation, me);
  const members = conversation.memberIds
    .map((id) => {
      const memberRole = roleOf(conversation, id);
      const badge = memberRole === "owner" ? strings.group.owner : memberRole === "admin" ? strings.group.admin : "";
      return { id, name: faces.nameOf(id), face: faces.avatarOf(id), badge, role: memberRole };
    })
    // Owner first, then admins, then members in the order they joined.
    .sort((a, b) => RANK[a.role] - RANK[b.role]);
  return {
    title: conversation.title,
    announcement: conversation.announcement ?? "",
    members,
    role,
    canEdit: manages(role),
    canRemove: members.some((member) => mayRemove(role, member.role)),
    isOwner: role === "owner",
    pinned: conversation.settings?.pinned === true,
    muted: conversation.settings?.muted === true,
    mutedAll: conversation.mutedAll === true,
  };
}
