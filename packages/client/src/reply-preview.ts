import { type Message, REPLY_PREVIEW_CODE_POINTS, type ReplyTo } from "@mpchat/protocol";

/**
 * The `replyTo` the server makes from the original message (protocol 1.1,
 * Replies): its sender and kind, and the first 60 code points of a text. The
 * sender's own copy of a reply is built from the ack, which carries no body, so
 * the client fills it the same way from the original it holds.
 */
export function replyFrom(original: Message): ReplyTo {
  const { body } = original;
  const reply: ReplyTo = {
    seq: original.seq,
    senderId: original.senderId,
    kind: body.kind === "unknown" ? body.rawKind : body.kind,
  };
  if (body.kind === "text") reply.preview = Array.from(body.text).slice(0, REPLY_PREVIEW_CODE_POINTS).join("");
  return reply;
}
