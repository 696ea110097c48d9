import * as v from "valibot";
import { EntityIdSchema } from "../primitives";

/** Who took a message back: its sender, the group's owner or an admin, or an operator (moderation). */
export const RecalledBySchema = v.picklist(["sender", "admin", "moderation"]);
export type RecalledBy = v.InferOutput<typeof RecalledBySchema>;

/**
 * "Take message `messageId` back" (PROTOCOL.md "Recall is a message"): sent like any
 * message and stored at the next seq. A client sends `{ kind, messageId }`; the
 * server adds `by` (ignoring one a client sent), so that a reader who never saw the
 * original still knows who recalled it.
 */
export const RecallBodySchema = v.object({
  kind: v.literal("recall"),
  messageId: EntityIdSchema,
  by: v.optional(RecalledBySchema),
});
export type RecallBody = v.InferOutput<typeof RecallBodySchema>;

/** What a recalled message's body becomes (its seq, sender and time are kept). Made by the server only. */
export const RecalledBodySchema = v.object({
  kind: v.literal("recalled"),
  by: RecalledBySchema,
});
export type RecalledBody = v.InferOutput<typeof RecalledBodySchema>;
