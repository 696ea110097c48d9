import * as v from "valibot";
import { ConversationSchema, UserSchema } from "./model";
import { EntityIdSchema, TimestampSchema } from "./primitives";

/** Invites (protocol 1.1): share-card codes into a group or a direct conversation. */
export const InviteLimits = {
  /** How long an invite is valid after it is made. */
  TTL_MS: 7 * 24 * 60 * 60 * 1000,
} as const;

/** What a server-made invite code looks like: at least 16 characters of [A-Za-z0-9_-]. */
export const INVITE_CODE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const InviteCodeSchema = v.pipe(v.string(), v.regex(INVITE_CODE_PATTERN, "not an invite code"));

/** `POST /v1/invites`: with a group's id, into that group; without, to a direct conversation with the caller. */
export const CreateInviteRequestSchema = v.object({ conversationId: v.optional(EntityIdSchema) });
export const InviteSchema = v.object({ code: InviteCodeSchema, expiresAt: TimestampSchema });
export const CreateInviteResponseSchema = v.object({ invite: InviteSchema });

/** What the card shows before joining. */
export const InviteDetailsSchema = v.object({
  code: InviteCodeSchema,
  expiresAt: TimestampSchema,
  inviter: UserSchema,
  conversation: v.optional(
    v.object({ id: EntityIdSchema, title: v.string(), memberCount: v.pipe(v.number(), v.safeInteger()) }),
  ),
});
export const InviteDetailsResponseSchema = v.object({ invite: InviteDetailsSchema });
export const AcceptInviteResponseSchema = v.object({ conversation: ConversationSchema });

export type CreateInviteRequest = v.InferOutput<typeof CreateInviteRequestSchema>;
export type Invite = v.InferOutput<typeof InviteSchema>;
export type CreateInviteResponse = v.InferOutput<typeof CreateInviteResponseSchema>;
export type InviteDetails = v.InferOutput<typeof InviteDetailsSchema>;
export type InviteDetailsResponse = v.InferOutput<typeof InviteDetailsResponseSchema>;
export type AcceptInviteResponse = v.InferOutput<typeof AcceptInviteResponseSchema>;
