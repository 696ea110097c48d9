import * as v from "valibot";
import { EntityIdSchema, SeqSchema, TextStringSchema, UserIdSchema } from "../primitives";

/**
 * `replyTo` on a body. A client sends `{ seq }` (a message of the same
 * conversation); the server fills `senderId`, `kind` and `preview` from the stored
 * original and ignores whatever a client sent for them, so a stored or received
 * reply always has `senderId` and `kind`. `preview` is the first 60 code points of
 * a text original, absent for other kinds and for recalled originals.
 */
export const ReplyToSchema = v.object({
  seq: SeqSchema,
  senderId: v.optional(UserIdSchema),
  kind: v.optional(v.pipe(TextStringSchema, v.maxLength(32))),
  preview: v.optional(TextStringSchema),
});
export type ReplyTo = v.InferOutput<typeof ReplyToSchema>;

/** The media a body names: an id of `POST /v1/media` the sender uploaded. */
export const BodyMediaIdSchema = EntityIdSchema;

/** Non-negative integers a client may send; the server overwrites them from the media record. */
export const BodyCountSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** How many code points of a text original a reply's `preview` keeps. */
export const REPLY_PREVIEW_CODE_POINTS = 60;
