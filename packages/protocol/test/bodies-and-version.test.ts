import { describe, expect, it } from "vitest";
import {
  assertNever,
  BODY_KINDS,
  type Body,
  decodeClientFrame,
  decodeServerFrame,
  ErrorCode,
  MessagesResponseSchema,
  PROTOCOL_VERSION,
  parseClientFrame,
  parseServerFrame,
  parseWith,
  type ReceivedBody,
  SERVED_PROTOCOL_VERSIONS,
} from "../src/index";

const message = (body: unknown) => ({
  id: "m1",
  conversationId: "c1",
  seq: 7,
  senderId: "alice",
  clientMsgId: "k1",
  body,
  createdAt: 5,
});
const send = (body: unknown) => ({ type: "send", id: "s", conversationId: "c1", clientMsgId: "k1", body });

/** Kinds a newer server might send (PROTOCOL.md "Message bodies" and beyond), and odd ones. */
const futureBodies: unknown[] = [
  { kind: "sticker" },
  { kind: "" },
  { kind: "unknown", rawKind: "spoof" },
  { kind: "constructor" },
  { kind: "__proto__", text: "x" },
];

describe("body kinds", () => {
  it("has text, image, voice, file and recall as the kinds a client sends; recalled and system are the server's", () => {
    expect(BODY_KINDS).toEqual(["text", "image", "voice", "file", "recall", "recalled", "system"]);
  });

  it.each([
    { kind: "recalled", by: "sender" },
    { kind: "system", event: "members_added", userIds: ["bob"] },
  ])("decodes the server-made body %j from a server and refuses it in a client's send", (body) => {
    const parsed = parseServerFrame({ type: "message", conversationId: "c1", message: message(body) });
    expect(parsed.ok && parsed.value.type === "message" && parsed.value.message.body).toEqual(body);
    expect(decodeClientFrame(JSON.stringify(send(body)))).toMatchObject({ ok: false, error: { code: "bad_request" } });
  });

  const reply = { seq: 3, senderId: "bob", kind: "text", preview: "hello" };
  it.each([
    { kind: "image", mediaId: "md1", width: 10, height: 20 },
    { kind: "image", mediaId: "md1", width: 0, height: 0, replyTo: { seq: 0 } },
    { kind: "voice", mediaId: "md1", durationMs: 3000 },
    { kind: "voice", mediaId: "md1", durationMs: 0, replyTo: reply },
    { kind: "file", mediaId: "md1", name: "a.pdf", size: 12 },
    { kind: "file", mediaId: "md1", name: "", size: 0, replyTo: { seq: 1, senderId: "x", kind: "image" } },
    { kind: "text", text: "hi", replyTo: { seq: 5 } },
    { kind: "text", text: "hi", replyTo: reply },
    { kind: "text", text: "@bob", mentions: ["bob"] },
    { kind: "text", text: "@all", mentionAll: true, mentions: [] },
    { kind: "text", text: "@30", mentions: Array.from({ length: 30 }, (_, i) => `u${i}`) },
    { kind: "recall", messageId: "m1" },
    { kind: "recall", messageId: "m1", by: "admin" },
  ])("takes body %j from a client and from a server", (body) => {
    expect(decodeClientFrame(JSON.stringify(send(body)))).toEqual({ ok: true, value: send(body) });
    const parsed = parseServerFrame({ type: "message", conversationId: "c1", message: message(body) });
    expect(parsed.ok && parsed.value.type === "message" && parsed.value.message.body).toEqual(body);
  });

  it.each([
    { kind: "image", mediaId: "md1", width: 10 },
    { kind: "image", mediaId: "", width: 1, height: 1 },
    { kind: "image", mediaId: "a/b", width: 1, height: 1 },
    { kind: "image", mediaId: "md1", width: -1, height: 1 },
    { kind: "image", mediaId: "md1", width: 1.5, height: 1 },
    { kind: "image", mediaId: 7, width: 1, height: 1 },
    { kind: "voice", mediaId: "md1" },
    { kind: "voice", mediaId: "md1", durationMs: "3000" },
    { kind: "file", mediaId: "md1", size: 1 },
    { kind: "file", mediaId: "md1", name: "x".repeat(256), size: 1 },
    { kind: "file", mediaId: "md1", name: "\ud800", size: 1 },
    { kind: "text", text: "hi", replyTo: {} },
    { kind: "text", text: "hi", replyTo: { seq: -1 } },
    { kind: "text", text: "hi", replyTo: { seq: "1" } },
    { kind: "text", text: "hi", replyTo: 1 },
    { kind: "text", text: "hi", replyTo: { seq: 1, senderId: "no spaces" } },
    { kind: "text", text: "hi", mentions: "bob" },
    { kind: "text", text: "hi", mentions: ["no spaces"] },
    { kind: "text", text: "hi", mentions: Array.from({ length: 31 }, (_, i) => `u${i}`) },
    { kind: "text", text: "hi", mentionAll: false },
    { kind: "text", text: "hi", mentionAll: "yes" },
    { kind: "recall" },
    { kind: "recall", messageId: "" },
    { kind: "recall", messageId: "a b" },
    { kind: "recall", messageId: "m1", by: "someone" },
    { kind: "recalled", by: "sender" },
  ])("refuses body %j in a client's send as bad_request", (body) => {
    const parsed = decodeClientFrame(JSON.stringify(send(body)));
    expect(parsed).toMatchObject({ ok: false, error: { code: ErrorCode.BadRequest, id: "s" } });
  });

  it.each(futureBodies)("decodes a server message with body %j as the unknown kind, keeping the frame", (body) => {
    const kind = (body as { kind: string }).kind;
    const pushed = { type: "message", conversationId: "c1", message: message(body) };
    expect(decodeServerFrame(JSON.stringify(pushed))).toEqual({
      ok: true,
      value: { ...pushed, message: { ...message(body), body: { kind: "unknown", rawKind: kind } } },
    });
    const batch = { type: "batch", id: "1", conversationId: "c1", messages: [message(body)], hasMore: false };
    const parsed = parseServerFrame(batch);
    expect(parsed.ok && parsed.value.type === "batch" && parsed.value.messages[0]?.body).toEqual({
      kind: "unknown",
      rawKind: kind,
    });
    expect(parseWith(MessagesResponseSchema, { messages: [message(body)], hasMore: false }).ok).toBe(true);
  });

  it.each(futureBodies)("refuses body %j in a client's send as bad_request", (body) => {
    const parsed = decodeClientFrame(JSON.stringify(send(body)));
    expect(parsed).toMatchObject({ ok: false, error: { code: ErrorCode.BadRequest, id: "s" } });
  });

  it.each([
    ["a body that is not an object", "hi"],
    ["a body without kind", { text: "hi" }],
    ["a numeric kind", { kind: 5 }],
    ["a known kind that is malformed", { kind: "text" }],
    ["a known kind with an empty text", { kind: "text", text: "" }],
  ])("still refuses a server message with %s", (_, body) => {
    expect(parseServerFrame({ type: "message", conversationId: "c1", message: message(body) }).ok).toBe(false);
  });

  it("decodes a known kind as itself, dropping fields it does not know", () => {
    const parsed = parseServerFrame({
      type: "message",
      conversationId: "c1",
      message: message({ kind: "text", text: "hi", reactions: ["👍"] }),
    });
    expect(parsed.ok && parsed.value.type === "message" && parsed.value.message.body).toEqual({
      kind: "text",
      text: "hi",
    });
  });

  it("lets a switch over body kinds be exhaustive", () => {
    const describe = (body: ReceivedBody): string => {
      switch (body.kind) {
        case "text":
          return body.text;
        case "image":
        case "voice":
        case "file":
          return body.mediaId;
        case "unknown":
          return `? ${body.rawKind}`;
        default:
          return assertNever(body, "body kind");
      }
    };
    const text: Body = { kind: "text", text: "hi" };
    expect([describe(text), describe({ kind: "unknown", rawKind: "image" })]).toEqual(["hi", "? image"]);
    expect(() => assertNever({ kind: "sticker" } as never, "body kind")).toThrow(
      'unexpected body kind: {"kind":"sticker"}',
    );
  });
});

describe("protocol version", () => {
  it("is 2, and a server of this package serves 1 and 2", () => {
    expect(PROTOCOL_VERSION).toBe(2);
    expect(SERVED_PROTOCOL_VERSIONS).toEqual([1, 2]);
  });

  it.each([undefined, 0, 1, 2, 3, 99, -1])(
    "auth may carry protocolVersion %j (served or not is the server's call)",
    (v) => {
      const auth =
        v === undefined
          ? { type: "auth", id: "a", token: "t" }
          : { type: "auth", id: "a", token: "t", protocolVersion: v };
      expect(parseClientFrame(auth)).toEqual({ ok: true, value: auth });
    },
  );

  it.each([2.5, "2", null, true, [2], Number.MAX_SAFE_INTEGER + 2, Number.NaN])(
    "refuses an auth whose protocolVersion is %j as bad_request",
    (protocolVersion) => {
      const parsed = parseClientFrame({ type: "auth", id: "a", token: "t", protocolVersion });
      expect(parsed).toMatchObject({ ok: false, error: { code: ErrorCode.BadRequest, id: "a" } });
      expect(!parsed.ok && parsed.error.message).toMatch(/^protocolVersion: /);
    },
  );

  it("reads ready with and without protocolVersion (a v1 server sends none)", () => {
    const ready = { type: "ready", id: "a", userId: "alice", heartbeatMs: 25_000, serverTime: 1 };
    expect(parseServerFrame({ ...ready, protocolVersion: 2 })).toEqual({
      ok: true,
      value: { ...ready, protocolVersion: 2 },
    });
    expect(parseServerFrame(ready)).toEqual({ ok: true, value: ready });
    expect(parseServerFrame({ ...ready, protocolVersion: "2" }).ok).toBe(false);
  });
});
