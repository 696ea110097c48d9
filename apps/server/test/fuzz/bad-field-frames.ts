import { isWellFormedText } from "@mpchat/protocol";
import fc from "fast-check";
import { badBody, badConversationId, badNumber, badString, goodBody } from "./field-values";
import { type Build, idOf, json } from "./frame-case";
import { anyUnits, goodRequestId } from "./strings";

type Field = { name: string; bad: fc.Arbitrary<unknown> };
const sendFields: Field[] = [
  { name: "clientMsgId", bad: badString },
  { name: "conversationId", bad: badConversationId },
  { name: "body", bad: badBody },
];

/** A valid-looking frame with exactly one bad field: bad_request carrying the id (none when the id is the bad field). */
export const oneBadField: fc.Arbitrary<Build> = fc.oneof(
  fc.tuple(goodRequestId, fc.constantFrom(...sendFields), goodBody, fc.boolean()).chain(([s, field, body, drop]) =>
    field.bad.map(
      (bad): Build =>
        (n, ctx) => {
          const id = idOf(n, s);
          const frame: Record<string, unknown> = {
            type: "send",
            id,
            conversationId: ctx.groupId,
            clientMsgId: idOf(n, "c"),
            body,
          };
          if (drop) delete frame[field.name];
          else frame[field.name] = bad;
          return {
            family: `send: bad ${field.name}`,
            data: json(frame),
            expect: { kind: "error", id, code: "bad_request" },
          };
        },
    ),
  ),
  fc
    .tuple(goodRequestId, fc.constantFrom("afterSeq", "limit", "conversationId"))
    .chain(([s, field]) =>
      (field === "conversationId" ? badConversationId : badNumber).map((bad) => [s, field, bad] as const),
    )
    .map(
      ([s, field, bad]): Build =>
        (n, ctx) => {
          const id = idOf(n, s);
          const frame: Record<string, unknown> = {
            type: "sync",
            id,
            conversationId: ctx.groupId,
            afterSeq: 0,
            [field]: bad,
          };
          return {
            family: `sync: bad ${field}`,
            data: json(frame),
            expect: { kind: "error", id, code: "bad_request" },
          };
        },
    ),
  fc
    .tuple(
      goodRequestId,
      fc.oneof(
        badNumber.map((seq) => ({ seq })),
        badConversationId.map((conversationId) => ({ conversationId })),
      ),
    )
    .map(
      ([s, bad]): Build =>
        (n, ctx) => {
          const id = idOf(n, s);
          const frame = { type: "read", id, conversationId: ctx.groupId, seq: 1, ...bad };
          return {
            family: `read: bad ${Object.keys(bad)[0]}`,
            data: json(frame),
            expect: { kind: "error", id, code: "bad_request" },
          };
        },
    ),
  // A well-formed token in a second auth is a re-auth (protocol 1.1): a refused
  // one gets `unauthorized` and close 4401 (test/session.test.ts). Here only the
  // tokens no schema accepts: those are bad_request and leave the socket open.
  fc
    .tuple(
      goodRequestId,
      badString.filter((t) => !(typeof t === "string" && t !== "" && isWellFormedText(t))),
    )
    .map(
      ([s, token]): Build =>
        (n) => {
          const id = idOf(n, s);
          return {
            family: "auth again / bad token",
            data: json({ type: "auth", id, token }),
            expect: { kind: "error", id, code: "bad_request" },
          };
        },
    ),
  fc.tuple(goodRequestId, anyUnits).map(
    ([s, type]): Build =>
      (n) => {
        const id = idOf(n, s);
        const t = ["auth", "send", "sync", "read", "typing", "ping"].includes(type) ? `${type}?` : type;
        return {
          family: "unknown type",
          data: json({ type: t, id }),
          expect: { kind: "error", id, code: "bad_request" },
        };
      },
  ),
  // The id itself is bad: the error carries none.
  fc.tuple(fc.constantFrom("send", "sync", "ping", "read"), badString).map(
    ([type, id]): Build =>
      (n, ctx) => ({
        family: `${type}: bad id`,
        data: json({
          type,
          id,
          conversationId: ctx.groupId,
          clientMsgId: idOf(n, "c"),
          body: { kind: "text", text: "x" },
          afterSeq: 0,
          seq: 0,
        }),
        expect: { kind: "anonymous" },
      }),
  ),
);

/** Rare (the frames are large): a text over 4000 code points is too_large, not bad_request. */
export const tooLong: fc.Arbitrary<Build> = fc.oneof(
  fc.tuple(goodRequestId, fc.integer({ min: 4001, max: 6000 })).map(
    ([s, length]): Build =>
      (n, ctx) => {
        const id = idOf(n, s);
        return {
          family: "send: text too long",
          data: json({
            type: "send",
            id,
            conversationId: ctx.groupId,
            clientMsgId: idOf(n, "c"),
            body: { kind: "text", text: "字".repeat(length) },
          }),
          expect: { kind: "error", id, code: "too_large" },
        };
      },
  ),
);
