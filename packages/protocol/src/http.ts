import * as v from "valibot";
import { ERROR_CODES } from "./codes";
import { codePointLength, Limits } from "./limits";
import { ConversationSchema, MessageSchema, UserSchema } from "./model";
import { LabelStringSchema, TextStringSchema, UserIdSchema } from "./primitives";

/** HTTP bodies of the `/v1` API. */
export const DevLoginRequestSchema = v.object({
  userId: UserIdSchema,
  name: v.optional(v.pipe(LabelStringSchema, v.minLength(1), v.maxLength(64))),
});
export const WechatLoginRequestSchema = v.object({
  code: v.pipe(TextStringSchema, v.minLength(1), v.maxLength(256)),
});
/** `expiresAt` (epoch ms, when the token stops being accepted) is an mpchat addition; older servers leave it out. */
export const AuthResponseSchema = v.object({
  token: v.string(),
  user: UserSchema,
  expiresAt: v.optional(v.number()),
  /** Protocol 1.1: the session's media token (see `ready`). */
  mediaToken: v.optional(v.string()),
});
/** `POST /v1/auth/refresh` 🔒 answer: a new token of the same session, with a new expiry. */
export const RefreshResponseSchema = v.object({
  token: v.string(),
  expiresAt: v.optional(v.number()),
  mediaToken: v.optional(v.string()),
});
/** `POST /v1/auth/logout` 🔒 and `POST /v1/auth/refresh` 🔒 take an empty body or `{}`. */
export const EmptyRequestSchema = v.optional(
  v.custom<Record<string, never>>(
    (input) => typeof input === "object" && input !== null && !Array.isArray(input) && Object.keys(input).length === 0,
    "the body must be empty or {}",
  ),
);
export const MeResponseSchema = v.object({ user: UserSchema });
export const ConversationsResponseSchema = v.object({ conversations: v.array(ConversationSchema) });
export const ConversationResponseSchema = v.object({ conversation: ConversationSchema });

export const TitleSchema = v.pipe(
  LabelStringSchema,
  v.minLength(1, "title must not be empty"),
  v.check(
    (title) => codePointLength(title) <= Limits.MAX_TITLE_CODE_POINTS,
    `title must be at most ${Limits.MAX_TITLE_CODE_POINTS} characters`,
  ),
);
const MemberIdsSchema = v.pipe(
  v.array(UserIdSchema),
  v.maxLength(Limits.MAX_GROUP_MEMBERS, `at most ${Limits.MAX_GROUP_MEMBERS} members`),
);
export const CreateConversationRequestSchema = v.variant("kind", [
  v.object({ kind: v.literal("direct"), peerId: UserIdSchema }),
  v.object({ kind: v.literal("group"), title: TitleSchema, memberIds: MemberIdsSchema }),
]);
export const AddMembersRequestSchema = v.object({
  userIds: v.pipe(MemberIdsSchema, v.minLength(1, "userIds must not be empty")),
});

/**
 * `PATCH /v1/conversations/:id/settings` (protocol 1.1): the caller's own view. A
 * field left out keeps its value; `draft: ""` clears the draft (past
 * MAX_DRAFT_CODE_POINTS: `400 bad_request`, like every limit of a management call).
 */
export const SettingsRequestSchema = v.object({
  pinned: v.optional(v.boolean()),
  muted: v.optional(v.boolean()),
  draft: v.optional(
    v.pipe(
      TextStringSchema,
      v.check(
        (draft) => codePointLength(draft) <= Limits.MAX_DRAFT_CODE_POINTS,
        `must be at most ${Limits.MAX_DRAFT_CODE_POINTS} characters`,
      ),
    ),
  ),
});
export type SettingsRequest = v.InferOutput<typeof SettingsRequestSchema>;

/** Query strings arrive as text: digits only, then a number. */
const QueryIntSchema = v.pipe(
  TextStringSchema,
  v.regex(/^\d{1,15}$/, "must be a non-negative integer"),
  v.transform(Number),
);
export const MessagesQuerySchema = v.pipe(
  v.object({
    afterSeq: v.optional(QueryIntSchema),
    beforeSeq: v.optional(QueryIntSchema),
    limit: v.optional(
      v.pipe(
        QueryIntSchema,
        v.minValue(1, "limit must be at least 1"),
        v.maxValue(Limits.MAX_PAGE, `limit must be at most ${Limits.MAX_PAGE}`),
      ),
    ),
  }),
  v.check((q) => q.afterSeq === undefined || q.beforeSeq === undefined, "give afterSeq or beforeSeq, not both"),
);
export const MessagesResponseSchema = v.object({ messages: v.array(MessageSchema), hasMore: v.boolean() });
export const ErrorBodySchema = v.object({
  error: v.object({ code: v.picklist(ERROR_CODES as [string, ...string[]]), message: v.string() }),
});

export type DevLoginRequest = v.InferOutput<typeof DevLoginRequestSchema>;
export type WechatLoginRequest = v.InferOutput<typeof WechatLoginRequestSchema>;
export type AuthResponse = v.InferOutput<typeof AuthResponseSchema>;
export type RefreshResponse = v.InferOutput<typeof RefreshResponseSchema>;
export type MeResponse = v.InferOutput<typeof MeResponseSchema>;
export type ConversationsResponse = v.InferOutput<typeof ConversationsResponseSchema>;
export type ConversationResponse = v.InferOutput<typeof ConversationResponseSchema>;
export type CreateConversationRequest = v.InferOutput<typeof CreateConversationRequestSchema>;
export type AddMembersRequest = v.InferOutput<typeof AddMembersRequestSchema>;
/** `afterSeq` pages forward; `beforeSeq` pages backward; neither gives the newest page. */
export type MessagesQuery = v.InferOutput<typeof MessagesQuerySchema>;
export type MessagesResponse = v.InferOutput<typeof MessagesResponseSchema>;
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;
