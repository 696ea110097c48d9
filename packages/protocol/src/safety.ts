import * as v from "valibot";
import { codePointLength } from "./limits";
import { EntityIdSchema, TextStringSchema, TimestampSchema, UserIdSchema } from "./primitives";

/** Blocks and reports (protocol 1.1, Safety). */
export const SafetyLimits = {
  /** Longest report reason, in code points. */
  MAX_REASON_CODE_POINTS: 1000,
} as const;

/** `POST /v1/blocks`. */
export const BlockRequestSchema = v.object({ userId: UserIdSchema });
/** One user the caller blocked, and since when. */
export const BlockSchema = v.object({ userId: UserIdSchema, createdAt: TimestampSchema });
/** `POST /v1/blocks` answer (201 new, 200 already blocked). */
export const BlockResponseSchema = v.object({ block: BlockSchema });
/** `GET /v1/blocks`: newest first. */
export const BlocksResponseSchema = v.object({ blocks: v.array(BlockSchema) });

/** `POST /v1/reports`: the reporter must be a member of the conversation. */
export const ReportRequestSchema = v.object({
  conversationId: EntityIdSchema,
  messageId: v.optional(EntityIdSchema),
  userId: v.optional(UserIdSchema),
  reason: v.pipe(
    TextStringSchema,
    v.check((reason) => reason.trim().length > 0, "reason must not be empty"),
    v.check(
      (reason) => codePointLength(reason) <= SafetyLimits.MAX_REASON_CODE_POINTS,
      `reason must be at most ${SafetyLimits.MAX_REASON_CODE_POINTS} characters`,
    ),
  ),
});
/** `POST /v1/reports` answer (201). */
export const ReportResponseSchema = v.object({
  report: v.object({ id: EntityIdSchema, createdAt: TimestampSchema }),
});

export type BlockRequest = v.InferOutput<typeof BlockRequestSchema>;
export type Block = v.InferOutput<typeof BlockSchema>;
export type BlockResponse = v.InferOutput<typeof BlockResponseSchema>;
export type BlocksResponse = v.InferOutput<typeof BlocksResponseSchema>;
export type ReportRequest = v.InferOutput<typeof ReportRequestSchema>;
export type ReportResponse = v.InferOutput<typeof ReportResponseSchema>;
