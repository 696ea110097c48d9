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
  { kind: "image", mediaId: "md1", width: 10, height: 20 },
  { kind: "recalled", by: "sender" },
  { kind: "system", event: "members_added", userIds: ["bob"] },
  { kind: "sticker" },
  { kind: "" },
  { kind: "unknown", rawKind: "spoof" },
  { kind: "constructor" },
  { kind: "__proto__", text: "x" },
];

describe("body kinds", () => {
  it("has text as the one kind a v2 client sends", () => {
    expect(BODY_KINDS).toEqual(["text"]);
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
      message: message({ kind: "text", text: "hi", mentions: ["bob"] }),
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
        case "unknown":
          return `? ${body.rawKind}`;
        default:
          return assertNever(body, "body kind");
      }
    };
    const text: Body = { kind: "text", text: "hi" };
    expect([describe(text), describe({ kind: "unknown", rawKind: "image" })]).toEqual(["hi", "? image"]);
    expect(() => assertNever({ kind: "image" } as never, "body kind")).toThrow(
      'unexpected body kind: {"kind":"image"}',
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
