import { describe, expect, it } from "vitest";
import {
  AddMembersRequestSchema,
  CreateConversationRequestSchema,
  DevLoginRequestSchema,
  isPlainLabel,
  isWellFormedText,
  MessagesQuerySchema,
  parseClientFrame,
  parseWith,
  toWellFormed,
  WechatLoginRequestSchema,
} from "../src/index";

/** Refused in every string field. */
const ILL_FORMED = [
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "x\ud800",
  "\ud800x",
  "\udc00\ud800",
  "😀\ud83d",
  "\ude00😀",
  "\u0000",
  "a\u0000b",
];
/** Refused in titles and names only (text keeps them). */
const CONTROLS = [
  "a\nb",
  "a\tb",
  "\r",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u0080",
  "\u009f",
  "\u202a",
  "\u202e",
  "\u2066",
  "\u2069",
];
const GOOD_TEXT = ["hi", "😀", "你好", "line\nbreak", "tab\there", "\ufffd", "\u200d", "\u202f", "\u2065", "\u206a"];

describe("string checks", () => {
  it.each(ILL_FORMED)("refuses %j as text and as a label", (s) => {
    expect(isWellFormedText(s)).toBe(false);
    expect(isPlainLabel(s)).toBe(false);
  });
  it.each(CONTROLS)("refuses %j as a label but keeps it in text", (s) => {
    expect(isWellFormedText(s)).toBe(true);
    expect(isPlainLabel(s)).toBe(false);
  });
  it.each(GOOD_TEXT)("accepts %j as text", (s) => expect(isWellFormedText(s)).toBe(true));
  it("agrees with String.prototype.isWellFormed where the engine has it", () => {
    const sample = [...ILL_FORMED, ...CONTROLS, ...GOOD_TEXT];
    const native = (s: string) => (s as unknown as { isWellFormed?: () => boolean }).isWellFormed?.();
    for (const s of sample)
      if (native(s) !== undefined && !s.includes("\u0000")) expect(isWellFormedText(s)).toBe(native(s));
  });
  it("repairs unpaired surrogates to U+FFFD and keeps pairs", () => {
    expect(toWellFormed("a\ud800b\udc00😀\ud83d")).toBe("a\ufffdb\ufffd😀\ufffd");
    expect(toWellFormed("fine 😀")).toBe("fine 😀");
  });
});

const base = { type: "send", id: "s", conversationId: "c", clientMsgId: "m", body: { kind: "text", text: "x" } };

describe("every string field refuses ill-formed Unicode", () => {
  const frames = (bad: string): Array<[string, unknown, string | undefined]> => [
    ["send.id", { ...base, id: bad }, undefined],
    ["send.clientMsgId", { ...base, clientMsgId: bad }, "s"],
    ["send.conversationId", { ...base, conversationId: bad }, "s"],
    ["send.body.text", { ...base, body: { kind: "text", text: `ok ${bad}` } }, "s"],
    ["auth.token", { type: "auth", id: "a", token: bad }, "a"],
    ["auth.id", { type: "auth", id: bad, token: "t" }, undefined],
    ["sync.id", { type: "sync", id: bad, conversationId: "c", afterSeq: 0 }, undefined],
    ["sync.conversationId", { type: "sync", id: "y", conversationId: bad, afterSeq: 0 }, "y"],
    ["read.conversationId", { type: "read", id: "r", conversationId: bad, seq: 0 }, "r"],
    ["typing.conversationId", { type: "typing", conversationId: bad }, undefined],
    ["ping.id", { type: "ping", id: bad }, undefined],
    ["type", { type: bad, id: "t" }, "t"],
    ["type (echoed)", { type: `x${bad}`, id: "t" }, "t"],
  ];
  for (const bad of ILL_FORMED) {
    it.each(frames(bad))(`${JSON.stringify(bad)} in %s`, (_field, frame, id) => {
      const result = parseClientFrame(frame);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("bad_request");
        expect(result.error.id).toBe(id);
        // The answer itself is well-formed (an unknown type is echoed, repaired).
        expect(isWellFormedText(result.error.message.replaceAll("\u0000", ""))).toBe(true);
      }
    });
    it(`${JSON.stringify(bad)} in every HTTP body field`, () => {
      const bodies: Array<[unknown, unknown]> = [
        [DevLoginRequestSchema, { userId: bad }],
        [DevLoginRequestSchema, { userId: "u", name: `n${bad}` }],
        [WechatLoginRequestSchema, { code: `c${bad}` }],
        [CreateConversationRequestSchema, { kind: "direct", peerId: bad }],
        [CreateConversationRequestSchema, { kind: "group", title: `t${bad}`, memberIds: [] }],
        [CreateConversationRequestSchema, { kind: "group", title: "t", memberIds: [bad] }],
        [AddMembersRequestSchema, { userIds: [bad] }],
        [MessagesQuerySchema, { afterSeq: `1${bad}` }],
        [MessagesQuerySchema, { limit: bad }],
      ];
      for (const [schema, body] of bodies) {
        const parsed = parseWith(schema as Parameters<typeof parseWith>[0], body);
        expect(parsed.ok, JSON.stringify(body)).toBe(false);
        if (!parsed.ok) expect(parsed.error.code).toBe("bad_request");
      }
    });
  }
  it.each(CONTROLS)("refuses %j in titles and names, keeps it in text", (bad) => {
    expect(parseWith(CreateConversationRequestSchema, { kind: "group", title: `t${bad}`, memberIds: [] }).ok).toBe(
      false,
    );
    expect(parseWith(DevLoginRequestSchema, { userId: "u", name: `n${bad}` }).ok).toBe(false);
    expect(parseClientFrame({ ...base, body: { kind: "text", text: `t${bad}` } }).ok).toBe(true);
  });
  it.each(GOOD_TEXT.filter(isPlainLabel))("accepts %j in titles and names", (good) => {
    expect(parseWith(CreateConversationRequestSchema, { kind: "group", title: good, memberIds: [] }).ok).toBe(true);
    expect(parseWith(DevLoginRequestSchema, { userId: "u", name: good }).ok).toBe(true);
  });
});
