import * as v from "valibot";
import { Limits } from "../limits";
import { TextStringSchema, UserIdSchema } from "../primitives";
import { ReplyToSchema } from "./reply-to";

/**
 * A text message. The 4000-code-point limit is checked after parsing so that it
 * can answer `too_large` instead of `bad_request` (parse.ts, `parseClientFrame`).
 */
export const TextBodySchema = v.object({
  kind: v.literal("text"),
  text: v.pipe(TextStringSchema, v.minLength(1, "text must not be empty")),
  /** Members the text mentions (members only, at most MAX_MENTIONS; the server checks membership). */
  mentions: v.optional(
    v.pipe(v.array(UserIdSchema), v.maxLength(Limits.MAX_MENTIONS, `must name at most ${Limits.MAX_MENTIONS} users`)),
  ),
  /** "@all": only from the group's owner or an admin. */
  mentionAll: v.optional(v.literal(true)),
  replyTo: v.optional(ReplyToSchema),
});
export type TextBody = v.InferOutput<typeof TextBodySchema>;
