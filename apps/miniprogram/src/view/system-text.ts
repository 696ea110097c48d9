import { assertNever, type SystemBody } from "@mpchat/protocol";
import { strings } from "../strings";

/** A name as WeChat's grey lines write it: quoted (“bob”), except the reader's own 你. */
export function quotedName(name: string): string {
  return name === strings.chat.you ? name : `“${name}”`;
}

/**
 * The grey line a `system` message shows (你邀请“bob”加入了群聊). `senderId`
 * is who made the change; `nameOf` names people (their ids when unknown).
 */
export function systemText(
  body: SystemBody,
  senderId: string,
  nameOf: (userId: string) => string = (userId) => userId,
): string {
  const t = strings.chat.system;
  const whom = (body.userIds ?? []).map((userId) => quotedName(nameOf(userId))).join("、");
  const who = quotedName(nameOf(senderId));
  switch (body.event) {
    case "members_added":
      return t.membersAdded(who, whom);
    case "member_removed":
      return t.memberRemoved(who, whom);
    case "member_left":
      return t.memberLeft(whom || who);
    case "title_changed":
      return t.titleChanged(who, body.title ?? "");
    case "announcement_changed":
      return t.announcementChanged(who);
    case "owner_changed":
      return t.ownerChanged(whom);
    case "admins_changed":
      return t.adminsChanged(whom, body.admin === true);
    case "muted":
      return t.muted(whom);
    case "unmuted":
      return t.unmuted(whom);
    case "muted_all":
      return t.mutedAll(who);
    case "unmuted_all":
      return t.unmutedAll(who);
    case "dissolved":
      return t.dissolved(who);
    default:
      return assertNever(body.event, "system event");
  }
}
