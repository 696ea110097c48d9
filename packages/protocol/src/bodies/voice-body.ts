import * as v from "valibot";
import { BodyCountSchema, BodyMediaIdSchema, ReplyToSchema } from "./reply-to";

/** A voice message; `durationMs` is the media record's (the server sets it). */
export const VoiceBodySchema = v.object({
  kind: v.literal("voice"),
  mediaId: BodyMediaIdSchema,
  durationMs: BodyCountSchema,
  replyTo: v.optional(ReplyToSchema),
});
export type VoiceBody = v.InferOutput<typeof VoiceBodySchema>;
