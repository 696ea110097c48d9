import * as v from "valibot";
import { TitleSchema } from "./http";
import { codePointLength, Limits } from "./limits";
import { LabelStringSchema, TimestampSchema, UserIdSchema } from "./primitives";

/**
 * Group management requests (protocol 1.1, "Groups people run"). Each call that
 * changes something makes one `system` message and answers `200 { conversation }`
 * (leaving answers `204`).
 */

/** An announcement: a label (no control characters), empty to clear it. */
export const AnnouncementSchema = v.pipe(
  LabelStringSchema,
  v.check(
    (text) => codePointLength(text) <= Limits.MAX_ANNOUNCEMENT_CODE_POINTS,
    `announcement must be at most ${Limits.MAX_ANNOUNCEMENT_CODE_POINTS} characters`,
  ),
);

/** `PATCH /v1/conversations/:id` 🔒: owner or admin. */
export const UpdateGroupRequestSchema = v.pipe(
  v.object({ title: v.optional(TitleSchema), announcement: v.optional(AnnouncementSchema) }),
  v.check((body) => body.title !== undefined || body.announcement !== undefined, "give title or announcement"),
);

/** `POST /v1/conversations/:id/owner` 🔒: owner only. */
export const TransferOwnerRequestSchema = v.object({ userId: UserIdSchema });

/** `POST /v1/conversations/:id/admins` 🔒: owner only. */
export const SetAdminRequestSchema = v.object({ userId: UserIdSchema, admin: v.boolean() });

/**
 * `POST /v1/conversations/:id/mute` 🔒: one member (`userId`) or everyone but the
 * owner and admins (no `userId`), until `untilMs` (epoch ms; 0 unmutes).
 */
export const MuteRequestSchema = v.object({
  userId: v.optional(UserIdSchema),
  untilMs: v.pipe(TimestampSchema, v.minValue(0, "untilMs must not be negative")),
});

/** Why a member stopped receiving a conversation (`conversation_removed`): "dissolved" only when an operator dissolves a group (an owner's dissolve keeps it in its members' lists). */
export const RemovalReasonSchema = v.picklist(["removed", "left", "dissolved"]);
export type RemovalReason = v.InferOutput<typeof RemovalReasonSchema>;

export type UpdateGroupRequest = v.InferOutput<typeof UpdateGroupRequestSchema>;
export type TransferOwnerRequest = v.InferOutput<typeof TransferOwnerRequestSchema>;
export type SetAdminRequest = v.InferOutput<typeof SetAdminRequestSchema>;
export type MuteRequest = v.InferOutput<typeof MuteRequestSchema>;
