import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { SendFrameSchema } from "../src/client-frames";
import { fastSendFrame } from "../src/fast-send";
import { parseClientFrame } from "../src/parse";

const valid = {
  type: "send",
  id: "r1",
  conversationId: "c_1-A",
  clientMsgId: "m1",
  body: { kind: "text", text: "hi" },
};

const badIds: unknown[] = [undefined, null, "", "x".repeat(65), 7, true, {}, [], ["a"]];
const goodIds: unknown[] = ["a", "x".repeat(64), "with space", "ü", "😀", "a\nb"];
/** Ill-formed or NUL: the fast path must refuse them as the schema does. */
const illFormed: string[] = [
  "\ud800",
  "\udfff",
  "a\ud800",
  "\ud800b",
  "\udc00\ud800",
  "😀\ud83d",
  "a\u0000b",
  "\u0000",
];
const conversationIds: unknown[] = [
  ...badIds,
  "a",
  "A-z_09",
  "x".repeat(64),
  "has space",
  "ä",
  "a/b",
  "a\nb",
  "a-\n",
  "😀",
];
const bodies: unknown[] = [
  undefined,
  null,
  "text",
  7,
  [],
  ["text", "hi"],
  {},
  { kind: "text" },
  { kind: "text", text: "" },
  { kind: "text", text: 5 },
  { kind: "text", text: null },
  { kind: "image", text: "hi" },
  { kind: "TEXT", text: "hi" },
  { kind: "text", text: "hi", extra: 1 },
  { kind: "text", text: " " },
  { kind: "text", text: "\ud800" },
  { text: "hi" },
  { kind: "text", text: "hi", replyTo: { seq: 3 } },
  { kind: "text", text: "hi", replyTo: { seq: -1 } },
  { kind: "text", text: "hi", replyTo: null },
  { kind: "image", mediaId: "md1", width: 1, height: 2 },
];

/** Every single-field variation of a valid frame, plus extra and missing keys. */
function variants(): unknown[] {
  const out: unknown[] = [
    valid,
    { ...valid, extra: "ignored" },
    { ...valid, type: "sync" },
    { ...valid, type: undefined },
  ];
  for (const id of [...badIds, ...goodIds, ...illFormed]) {
    out.push({ ...valid, id });
    out.push({ ...valid, clientMsgId: id });
  }
  for (const conversationId of conversationIds) out.push({ ...valid, conversationId });
  for (const body of bodies) out.push({ ...valid, body });
  for (const text of illFormed) out.push({ ...valid, body: { kind: "text", text } });
  for (const key of Object.keys(valid)) {
    const { [key as keyof typeof valid]: _dropped, ...rest } = valid;
    out.push(rest);
  }
  return out;
}

describe("fastSendFrame", () => {
  it("takes the usual frame without the schema", () => {
    expect(fastSendFrame(valid)).toStrictEqual(valid);
  });

  it.each(variants().map((input) => [JSON.stringify(input) ?? String(input), input]))(
    "agrees with SendFrameSchema on %s",
    (_label, input) => {
      const schema = v.safeParse(SendFrameSchema, input);
      const fast = fastSendFrame(input as Record<string, unknown>);
      // Never accepts what the schema refuses, and outputs exactly what the schema outputs.
      if (fast) expect(schema.success && schema.output).toStrictEqual(fast);
      // parseClientFrame (fast path, else schema) answers as the schema does.
      const parsed = parseClientFrame(input);
      expect(parsed.ok).toBe(schema.success);
      if (parsed.ok && schema.success) expect(parsed.value).toStrictEqual(schema.output);
    },
  );
});
