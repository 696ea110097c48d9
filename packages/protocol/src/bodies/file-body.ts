import * as v from "valibot";
import { TextStringSchema } from "../primitives";
import { BodyCountSchema, BodyMediaIdSchema, ReplyToSchema } from "./reply-to";

/** A file message; `name` and `size` are the media record's (the server sets them). */
export const FileBodySchema = v.object({
  kind: v.literal("file"),
  mediaId: BodyMediaIdSchema,
  name: v.pipe(TextStringSchema, v.maxLength(255)),
  size: BodyCountSchema,
  replyTo: v.optional(ReplyToSchema),
});
export type FileBody = v.InferOutput<typeof FileBodySchema>;
