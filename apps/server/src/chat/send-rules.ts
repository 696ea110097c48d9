import { forbidden } from "../app-error";
import type { Members } from "./membership-cache";

/**
 * Group states that refuse a member's `send` (any kind): a dissolved group, the
 * sender's own mute, and a mute-all for everyone but the owner and admins. A
 * mute ends by itself at its `untilMs`.
 */
export function refuseSend(conversation: Members, senderId: string, now: number): void {
  if (conversation.dissolvedAt !== undefined) throw forbidden("the group is dissolved");
  const own = conversation.mutes?.find((mute) => mute.userId === senderId);
  if (own && own.untilMs > now) throw forbidden(`you are muted in this group until ${own.untilMs}`);
  const exempt = conversation.ownerId === senderId || (conversation.adminIds ?? []).includes(senderId);
  if (!exempt && (conversation.mutedAllUntil ?? 0) > now) {
    throw forbidden(`everyone is muted in this group until ${conversation.mutedAllUntil}`);
  }
}

/** A dissolved group refuses `typing` (nobody can answer in it any more). */
export function refuseTyping(conversation: Members): void {
  if (conversation.dissolvedAt !== undefined) throw forbidden("the group is dissolved");
}
