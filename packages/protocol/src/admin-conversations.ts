import * as v from "valibot";
import { AdminReasonSchema } from "./admin";
import type { ConversationKind, User } from "./model";
import { EntityIdSchema, UserIdSchema } from "./primitives";

/**
 * The operators' view of conversations (`/v1/admin/conversations/*`, PROTOCOL.md
 * "Operators"): look one up, remove a member as moderation, dissolve a group.
 */

/** `/v1/admin/conversations/:id`. */
export const AdminConversationParamsSchema = v.object({ id: EntityIdSchema });
/** `/v1/admin/conversations/:id/members/:userId`. */
export const AdminMemberParamsSchema = v.object({ id: EntityIdSchema, userId: UserIdSchema });

/** `DELETE /v1/admin/conversations/:id/members/:userId` and `POST /v1/admin/conversations/:id/dissolve`. */
export const AdminModerationRequestSchema = v.object({ reason: AdminReasonSchema });
export type AdminModerationRequest = v.InferOutput<typeof AdminModerationRequestSchema>;

export type AdminMemberRole = "owner" | "admin" | "member";

export interface AdminConversationMember {
  /** The user as stored; `name` is the id when the user row is gone. */
  user: User;
  role: AdminMemberRole;
  /** Epoch ms while a mute of theirs lasts. */
  mutedUntil?: number;
}

/** One conversation as a list shows it (a user's conversations). */
export interface AdminConversationSummary {
  id: string;
  kind: ConversationKind;
  title: string;
  memberCount: number;
  /** The seq of the newest message (system and recall messages count): 0 when none yet. */
  lastSeq: number;
  /** Epoch ms of the newest message, else of the conversation's creation. */
  lastActivityAt: number;
  /** Groups: present once dissolved. */
  dissolved?: true;
}

/** One conversation as the console's conversation page shows it. */
export interface AdminConversation extends AdminConversationSummary {
  createdAt: number;
  /** Groups only. */
  ownerId?: string;
  /** Groups only (maybe empty). */
  adminIds?: string[];
  announcement?: string;
  /** In join order. */
  members: AdminConversationMember[];
}

export interface AdminConversationResponse {
  conversation: AdminConversation;
}

export interface AdminConversationsResponse {
  conversations: AdminConversationSummary[];
}
