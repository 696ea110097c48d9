import { describe, expect, it } from "vitest";
import {
  CloseCode,
  ConversationsResponseSchema,
  CreateConversationRequestSchema,
  codePointLength,
  decodeClientFrame,
  ErrorCode,
  HTTP_STATUS_OF,
  Limits,
  MessagesQuerySchema,
  parseClientFrame,
  parseServerFrame,
  parseWith,
} from "../src/index";

const body = { kind: "text", text: "hi" };

describe("parseClientFrame", () => {
  it.each([
    { type: "auth", id: "1", token: "t" },
    { type: "send", id: "2", conversationId: "c1", clientMsgId: "m1", body },
    { type: "sync", id: "3", conversationId: "c1", afterSeq: 0 },
    { type: "sync", id: "3", conversationId: "c1", afterSeq: 10, limit: 200 },
    { type: "read", conversationId: "c1", seq: 4 },
    { type: "read", id: "r", conversationId: "c1", seq: 4 },
    { type: "typing", conversationId: "c1" },
    { type: "ping" },
    { type: "ping", id: "p" },
  ])("accepts %j", (frame) => {
    const result = parseClientFrame(frame);
    expect(result).toEqual({ ok: true, value: frame });
  });

  const bad: Array<[string, unknown, string | undefined]> = [
    ["null", null, undefined],
    ["an array", [1, 2], undefined],
    ["a string", "send", undefined],
    ["no type", { id: "x" }, "x"],
    ["unknown type", { type: "hack", id: "x" }, "x"],
    ["numeric type", { type: 3, id: "x" }, "x"],
    ["send without body", { type: "send", id: "s", conversationId: "c", clientMsgId: "m" }, "s"],
    [
      "send with numeric text",
      { type: "send", id: "s", conversationId: "c", clientMsgId: "m", body: { kind: "text", text: 5 } },
      "s",
    ],
    [
      "send with empty text",
      { type: "send", id: "s", conversationId: "c", clientMsgId: "m", body: { kind: "text", text: "" } },
      "s",
    ],
    [
      "send with unknown body kind",
      { type: "send", id: "s", conversationId: "c", clientMsgId: "m", body: { kind: "image", text: "x" } },
      "s",
    ],
    [
      "send with long clientMsgId",
      { type: "send", id: "s", conversationId: "c", clientMsgId: "m".repeat(65), body },
      "s",
    ],
    ["send with bad conversation id", { type: "send", id: "s", conversationId: "c/../x", clientMsgId: "m", body }, "s"],
    ["request id too long", { type: "ping", id: "i".repeat(65) }, undefined],
    ["empty request id", { type: "ping", id: "" }, undefined],
    ["negative seq", { type: "sync", id: "y", conversationId: "c", afterSeq: -1 }, "y"],
    ["fractional seq", { type: "sync", id: "y", conversationId: "c", afterSeq: 1.5 }, "y"],
    ["huge seq", { type: "sync", id: "y", conversationId: "c", afterSeq: 2 ** 60 }, "y"],
    ["string seq", { type: "sync", id: "y", conversationId: "c", afterSeq: "1" }, "y"],
    ["limit 0", { type: "sync", id: "y", conversationId: "c", afterSeq: 1, limit: 0 }, "y"],
    ["limit 201", { type: "sync", id: "y", conversationId: "c", afterSeq: 1, limit: 201 }, "y"],
    ["auth without token", { type: "auth", id: "a" }, "a"],
  ];
  it.each(bad)("refuses %s as bad_request", (_name, frame, id) => {
    const result = parseClientFrame(frame);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(ErrorCode.BadRequest);
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(result.error.id).toBe(id);
  });

  it("names the offending field", () => {
    const result = parseClientFrame({ type: "sync", id: "y", conversationId: "c", afterSeq: -1 });
    expect(!result.ok && result.error.message).toMatch(/^afterSeq: /);
  });

  it("answers too_large past 4000 code points, counting emoji once", () => {
    const at = (text: string) =>
      parseClientFrame({ type: "send", id: "s", conversationId: "c", clientMsgId: "m", body: { kind: "text", text } });
    expect(at("😀".repeat(Limits.MAX_TEXT_CODE_POINTS)).ok).toBe(true);
    const over = at("x".repeat(Limits.MAX_TEXT_CODE_POINTS + 1));
    expect(over.ok).toBe(false);
    expect(!over.ok && over.error).toMatchObject({ code: ErrorCode.TooLarge, id: "s" });
  });

  it("decodes JSON text and refuses what is not JSON", () => {
    expect(decodeClientFrame('{"type":"ping"}')).toEqual({ ok: true, value: { type: "ping" } });
    const bad = decodeClientFrame("{not json");
    expect(!bad.ok && bad.error.code).toBe(ErrorCode.BadRequest);
  });
});

describe("parseServerFrame", () => {
  it("accepts an ack and refuses an unknown error code", () => {
    const ack = { type: "ack", id: "1", conversationId: "c", clientMsgId: "m", messageId: "x", seq: 1, createdAt: 5 };
    expect(parseServerFrame(ack)).toEqual({ ok: true, value: ack });
    expect(parseServerFrame({ type: "error", code: "nope", message: "" }).ok).toBe(false);
  });

  it("takes an error's retryAfterMs when it is a non-negative integer", () => {
    const overloaded = { type: "error", id: "7", code: "unavailable", message: "overloaded", retryAfterMs: 250 };
    expect(parseServerFrame(overloaded)).toEqual({ ok: true, value: overloaded });
    expect(parseServerFrame({ ...overloaded, retryAfterMs: 0 }).ok).toBe(true);
    expect(parseServerFrame({ type: "error", code: "rate_limited", message: "" }).ok).toBe(true);
    for (const retryAfterMs of [-1, 1.5, "250", null]) {
      expect(parseServerFrame({ ...overloaded, retryAfterMs }).ok).toBe(false);
    }
  });
});

describe("HTTP bodies", () => {
  it("parses the history query from strings", () => {
    expect(parseWith(MessagesQuerySchema, { afterSeq: "5", limit: "20" })).toEqual({
      ok: true,
      value: { afterSeq: 5, limit: 20 },
    });
    expect(parseWith(MessagesQuerySchema, { afterSeq: "1", beforeSeq: "9" }).ok).toBe(false);
    expect(parseWith(MessagesQuerySchema, { limit: "0" }).ok).toBe(false);
    expect(parseWith(MessagesQuerySchema, { afterSeq: "-1" }).ok).toBe(false);
  });
  it("checks conversation creation", () => {
    expect(parseWith(CreateConversationRequestSchema, { kind: "direct", peerId: "bob" }).ok).toBe(true);
    expect(parseWith(CreateConversationRequestSchema, { kind: "group", title: "", memberIds: [] }).ok).toBe(false);
    expect(parseWith(CreateConversationRequestSchema, { kind: "direct", peerId: "b o b" }).ok).toBe(false);
  });
});

describe("Conversation.memberReadSeqs", () => {
  const conversation = {
    id: "c1",
    kind: "direct",
    title: "",
    memberIds: ["alice", "constructor"],
    lastSeq: 3,
    readSeq: 3,
    unread: 0,
    updatedAt: 5,
  };
  it("is optional, so a server that does not send it still parses", () => {
    expect(parseWith(ConversationsResponseSchema, { conversations: [conversation] })).toEqual({
      ok: true,
      value: { conversations: [conversation] },
    });
  });
  it("carries every member's cursor, also for user ids that name Object.prototype members", () => {
    const memberReadSeqs = [
      { userId: "alice", readSeq: 3 },
      { userId: "constructor", readSeq: 2 },
    ];
    const frame = { type: "conversation", conversation: { ...conversation, memberReadSeqs } };
    expect(parseServerFrame(frame)).toEqual({ ok: true, value: frame });
  });
  it("refuses a negative cursor or a malformed user id", () => {
    const bad = (entry: unknown) =>
      parseWith(ConversationsResponseSchema, { conversations: [{ ...conversation, memberReadSeqs: [entry] }] }).ok;
    expect(bad({ userId: "alice", readSeq: -1 })).toBe(false);
    expect(bad({ userId: "a b", readSeq: 1 })).toBe(false);
    expect(bad({ userId: "alice" })).toBe(false);
    expect(bad({ userId: "alice", readSeq: 1 })).toBe(true);
  });
});

describe("codes and limits", () => {
  it("maps every error code to an HTTP status", () => {
    for (const code of Object.values(ErrorCode)) expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400);
    expect(CloseCode.Unauthorized).toBe(4401);
  });
  it("has the close codes of protocol 1.1 on the wire numbers PROTOCOL.md gives", () => {
    expect([CloseCode.Banned, CloseCode.AuthTimeout, CloseCode.Replaced, CloseCode.VersionNotServed]).toEqual([
      4403, 4408, 4409, 4426,
    ]);
  });
  it("counts code points", () => {
    expect(codePointLength("a😀中")).toBe(3);
    expect(codePointLength("\ud83d")).toBe(1);
  });
});
