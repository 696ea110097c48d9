import * as v from "valibot";
import { TextStringSchema, TimestampSchema, UserIdSchema } from "../primitives";

/**
 * The events a `system` message records (PROTOCOL.md 1.1, "System events"):
 * changes every member must see, put into the conversation's seq stream so that
 * exactly-once, order and resume hold for them like for any message.
 */
export const SYSTEM_EVENTS = [
  "members_added",
  "member_removed",
  "member_left",
  "title_changed",
  "announcement_changed",
  "owner_changed",
  "admins_changed",
  "muted",
  "unmuted",
  "muted_all",
  "unmuted_all",
  "dissolved",
] as const;
export const SystemEventSchema = v.picklist(SYSTEM_EVENTS);
export type SystemEvent = v.InferOutput<typeof SystemEventSchema>;

/**
 * A message the server makes for a group management call; `senderId` is the
 * user who made the change. A client never sends this kind (`bad_request`).
 * Fields by event: `userIds` (members_added, member_removed, member_left,
 * owner_changed, admins_changed, muted, unmuted), `title` (title_changed),
 * `announcement` (announcement_changed), `admin` (admins_changed), `untilMs`
 * (muted, muted_all).
 */
export const SystemBodySchema = v.object({
  kind: v.literal("system"),
  event: SystemEventSchema,
  userIds: v.optional(v.array(UserIdSchema)),
  title: v.optional(TextStringSchema),
  announcement: v.optional(TextStringSchema),
  admin: v.optional(v.boolean()),
  untilMs: v.optional(TimestampSchema),
});
export type SystemBody = v.InferOutput<typeof SystemBodySchema>;
