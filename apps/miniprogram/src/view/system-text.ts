import { assertNever, type SystemBody } from "@mpchat/protocol";
import { strings } from "../strings";

/**
 * The grey line a `system` message shows ("alice 邀请 bob 加入了群聊"). `senderId`
 * is who made the change; names are user ids until the group pages look people up.
 */
export function systemText(body: SystemBody, senderId: string): string {
  const t = strings.chat.system;
  const whom = (body.userIds ?? []).join("、");
  switch (body.event) {
    case "members_added":
      return t.membersAdded(senderId, whom);
    case "member_removed":
      return t.memberRemoved(senderId, whom);
    case "member_left":
      return t.memberLeft(whom || senderId);
    case "title_changed":
      return t.titleChanged(senderId, body.title ?? "");
    case "announcement_changed":
      return t.announcementChanged(senderId);
    case "owner_changed":
      return t.ownerChanged(whom);
    case "admins_changed":
      return t.adminsChanged(whom, body.admin === true);
    case "muted":
      return t.muted(whom);
    case "unmuted":
      return t.unmuted(whom);
    case "muted_all":
      return t.mutedAll(senderId);
    case "unmuted_all":
      return t.unmutedAll(senderId);
    case "dissolved":
      return t.dissolved(senderId);
    default:
      return assertNever(body.event, "system event");
  }
}
