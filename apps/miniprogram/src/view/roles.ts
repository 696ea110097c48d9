import type { Conversation } from "@mpchat/client";

export type GroupRole = "owner" | "admin" | "member";

/** A member's role in a group (a direct chat has only members). */
export function roleOf(conversation: Conversation | undefined, userId: string): GroupRole {
  if (conversation?.kind !== "group") return "member";
  if (conversation.ownerId === userId) return "owner";
  return conversation.adminIds?.includes(userId) ? "admin" : "member";
}

/** Owner and admins manage the group (title, announcement, mute, others' messages). */
export function manages(role: GroupRole): boolean {
  return role === "owner" || role === "admin";
}
