import * as v from "valibot";
import { BodyCountSchema, BodyMediaIdSchema, ReplyToSchema } from "./reply-to";

/** An image message; `width`/`height` are the stored image's (the server sets them from the media record). */
export const ImageBodySchema = v.object({
  kind: v.literal("image"),
  mediaId: BodyMediaIdSchema,
  width: BodyCountSchema,
  height: BodyCountSchema,
  replyTo: v.optional(ReplyToSchema),
});
export type ImageBody = v.InferOutput<typeof ImageBodySchema>;
