import type { TextBody } from "./bodies/text-body";
import type { SendFrame } from "./client-frames";
import { Limits } from "./limits";
import { USER_ID_PATTERN } from "./primitives";
import { isWellFormedText } from "./strings";

function isRequestId(value: unknown): value is string {
  return (
    typeof value === "string" && value.length >= 1 && value.length <= Limits.MAX_ID_LENGTH && isWellFormedText(value)
  );
}

/**
 * The usual `send` frame, checked by hand: `send` is the frame a busy server
 * parses most, and the schema library's general path allocates several objects
 * (and discarded issues) per frame. Returns the frame exactly as SendFrameSchema
 * would output it (known keys only), or undefined for anything unusual: the
 * caller then runs the schema, which words the error. It must never accept what
 * SendFrameSchema refuses (test/fast-send.test.ts compares them).
 */
export function fastSendFrame(input: Readonly<Record<string, unknown>>): (SendFrame & { body: TextBody }) | undefined {
  const { id, conversationId, clientMsgId, body } = input;
  if (input.type !== "send" || !isRequestId(id) || !isRequestId(clientMsgId)) return undefined;
  if (typeof conversationId !== "string" || !USER_ID_PATTERN.test(conversationId)) return undefined;
  if (typeof body !== "object" || body === null) return undefined;
  const { kind, text, replyTo, mentions, mentionAll } = body as Readonly<Record<string, unknown>>;
  // A reply or a mention is unusual: the schema checks it (this path would drop it).
  if (
    replyTo !== undefined ||
    mentions !== undefined ||
    mentionAll !== undefined ||
    kind !== "text" ||
    typeof text !== "string" ||
    text.length === 0 ||
    !isWellFormedText(text)
  )
    return undefined;
  return { type: "send", id, conversationId, clientMsgId, body: { kind: "text", text } };
}
