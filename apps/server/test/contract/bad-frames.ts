import { CloseCode } from "@mpchat/protocol";
import { type BadInputCase, badRequest, json, raw, send } from "./bad-input-case";

const long = "x".repeat(65);

/** Malformed frames and fields on an authenticated connection, each with its documented answer. */
export const FRAME_CASES: readonly BadInputCase[] = [
  { name: "not JSON", authenticated: true, act: raw(() => "{nope"), error: badRequest(null) },
  {
    name: "truncated JSON of a send",
    authenticated: true,
    act: raw((c) => send(c, {}).slice(0, -1)),
    error: badRequest(null),
  },
  {
    name: "a binary frame holding a valid send",
    authenticated: true,
    act: (victim, ctx) => victim.sendRaw(Buffer.from(send(ctx, {})), { binary: true }),
    error: badRequest(null),
  },
  {
    name: "a 1 MiB frame",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: "x".repeat(1024 * 1024) } })),
    close: CloseCode.TooLarge,
  },
  {
    name: "unknown type",
    authenticated: true,
    act: raw(() => json({ type: "shout", id: "u1" })),
    error: badRequest("u1"),
  },
  {
    name: "missing type",
    authenticated: true,
    act: raw((c) => json({ id: "t1", conversationId: c.groupId })),
    error: badRequest("t1"),
  },
  {
    name: "send without clientMsgId and body",
    authenticated: true,
    act: raw((c) => json({ type: "send", id: "m1", conversationId: c.groupId })),
    error: badRequest("m1"),
  },
  {
    name: "send without conversationId",
    authenticated: true,
    act: raw((c) => send(c, { conversationId: undefined })),
    error: badRequest("s1"),
  },
  {
    name: "send with a number as text",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: 42 } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a string as body",
    authenticated: true,
    act: raw((c) => send(c, { body: "hello" })),
    error: badRequest("s1"),
  },
  {
    name: "send with an image body that has a url and no mediaId",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "image", url: "x" } })),
    error: badRequest("s1"),
  },
  {
    name: "send with an image body without width and height",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "image", mediaId: "m1" } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a voice body whose durationMs is a string",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "voice", mediaId: "m1", durationMs: "3" } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a file body whose mediaId has a slash",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "file", mediaId: "a/b", name: "x", size: 1 } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a replyTo without seq",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: "hi", replyTo: {} } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a negative replyTo seq",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: "hi", replyTo: { seq: -1 } } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a numeric conversationId",
    authenticated: true,
    act: raw((c) => send(c, { conversationId: 7 })),
    error: badRequest("s1"),
  },
  {
    name: "send with empty text",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: "" } })),
    error: badRequest("s1"),
  },
  {
    name: "sync with a negative afterSeq",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y1", conversationId: c.groupId, afterSeq: -1 })),
    error: badRequest("y1"),
  },
  {
    name: "sync with a huge afterSeq (2^53)",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y2", conversationId: c.groupId, afterSeq: 2 ** 53 })),
    error: badRequest("y2"),
  },
  {
    name: "sync with afterSeq 1e300",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y3", conversationId: c.groupId, afterSeq: 1e300 })),
    error: badRequest("y3"),
  },
  {
    name: "sync with a fractional afterSeq",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y4", conversationId: c.groupId, afterSeq: 1.5 })),
    error: badRequest("y4"),
  },
  {
    name: "sync with afterSeq as a string",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y5", conversationId: c.groupId, afterSeq: "0" })),
    error: badRequest("y5"),
  },
  {
    name: "sync with limit 0",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y6", conversationId: c.groupId, afterSeq: 0, limit: 0 })),
    error: badRequest("y6"),
  },
  {
    name: "sync with limit 201",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y7", conversationId: c.groupId, afterSeq: 0, limit: 201 })),
    error: badRequest("y7"),
  },
  {
    name: "read with a negative seq",
    authenticated: true,
    act: raw((c) => json({ type: "read", id: "r1", conversationId: c.groupId, seq: -5 })),
    error: badRequest("r1"),
  },
  {
    name: "read with a fractional seq",
    authenticated: true,
    act: raw((c) => json({ type: "read", id: "r2", conversationId: c.groupId, seq: 0.25 })),
    error: badRequest("r2"),
  },
  {
    name: "a request id of 65 characters",
    authenticated: true,
    act: raw(() => json({ type: "ping", id: long })),
    error: badRequest(null),
  },
  {
    name: "an empty request id",
    authenticated: true,
    act: raw(() => json({ type: "ping", id: "" })),
    error: badRequest(null),
  },
  {
    name: "a numeric request id",
    authenticated: true,
    act: raw(() => json({ type: "ping", id: 5 })),
    error: badRequest(null),
  },
  {
    name: "a clientMsgId of 65 characters",
    authenticated: true,
    act: raw((c) => send(c, { clientMsgId: long })),
    error: badRequest("s1"),
  },
  {
    name: "a conversationId of 65 characters",
    authenticated: true,
    act: raw((c) => send(c, { conversationId: long })),
    error: badRequest("s1"),
  },
  { name: "an array frame", authenticated: true, act: raw((c) => `[${send(c, {})}]`), error: badRequest(null) },
  { name: "a null frame", authenticated: true, act: raw(() => "null"), error: badRequest(null) },
  { name: "a number frame", authenticated: true, act: raw(() => "42"), error: badRequest(null) },
  { name: "a string frame", authenticated: true, act: raw(() => '"send"'), error: badRequest(null) },
  {
    // Not a protocol code: RFC 6455 requires closing 1007 on text that is not UTF-8 (ws does).
    name: "invalid UTF-8 in a text frame",
    authenticated: true,
    act: (victim, ctx) => {
      const [head, tail] = send(ctx, { body: { kind: "text", text: "SPLIT" } }).split("SPLIT") as [string, string];
      victim.sendRaw(Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail)]));
    },
    close: 1007,
  },
  {
    name: "deeply nested JSON",
    authenticated: true,
    act: raw(() => `${"[".repeat(30_000)}${"]".repeat(30_000)}`),
    error: badRequest(null),
  },
];
