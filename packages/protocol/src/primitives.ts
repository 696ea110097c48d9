import * as v from "valibot";
import { Limits } from "./limits";
import { isPlainLabel, isWellFormedText, PLAIN_LABEL_MESSAGE, WELL_FORMED_MESSAGE } from "./strings";

/**
 * The one string primitive of every client frame and HTTP body: well-formed
 * Unicode without U+0000 (PROTOCOL.md 1.1, "Strings, everywhere"). Text keeps
 * newlines and tabs.
 */
export const TextStringSchema = v.pipe(v.string(), v.check(isWellFormedText, WELL_FORMED_MESSAGE));
/** Titles and names: also no C0/C1 control and no bidi control characters. */
export const LabelStringSchema = v.pipe(
  v.string(),
  v.check(isWellFormedText, WELL_FORMED_MESSAGE),
  v.check(isPlainLabel, PLAIN_LABEL_MESSAGE),
);

/** A user id: what dev login accepts and what WeChat ids are mapped to. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const UserIdSchema = v.pipe(TextStringSchema, v.regex(USER_ID_PATTERN, "must match ^[A-Za-z0-9_-]{1,64}$"));
/** Conversation and message ids are opaque server-made strings of the same alphabet. */
export const EntityIdSchema = v.pipe(TextStringSchema, v.regex(USER_ID_PATTERN, "must match ^[A-Za-z0-9_-]{1,64}$"));
/** A request id chosen by the client, echoed in the answer. */
export const RequestIdSchema = v.pipe(
  TextStringSchema,
  v.minLength(1, "must not be empty"),
  v.maxLength(Limits.MAX_ID_LENGTH, `must be at most ${Limits.MAX_ID_LENGTH} characters`),
);
/** The client's name for a message; `(senderId, clientMsgId)` is unique. */
export const ClientMsgIdSchema = RequestIdSchema;
/** Sequence numbers and cursors: non-negative safe integers. */
export const SeqSchema = v.pipe(
  v.number(),
  v.safeInteger("must be a safe integer"),
  v.minValue(0, "must not be negative"),
);
export const TimestampSchema = v.pipe(v.number(), v.safeInteger());
export const PageLimitSchema = v.pipe(
  v.number(),
  v.integer("must be an integer"),
  v.minValue(1, "must be at least 1"),
  v.maxValue(Limits.MAX_PAGE, `must be at most ${Limits.MAX_PAGE}`),
);
