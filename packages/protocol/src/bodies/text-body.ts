import * as v from "valibot";
import { TextStringSchema } from "../primitives";
import { ReplyToSchema } from "./reply-to";

/**
 * A text message. The 4000-code-point limit is checked after parsing so that it
 * can answer `too_large` instead of `bad_request` (parse.ts, `parseClientFrame`).
 */
export const TextBodySchema = v.object({
  kind: v.literal("text"),
  text: v.pipe(TextStringSchema, v.minLength(1, "text must not be empty")),
  replyTo: v.optional(ReplyToSchema),
});
export type TextBody = v.InferOutput<typeof TextBodySchema>;
