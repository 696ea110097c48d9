import fc from "fast-check";
import { goodBody, junk, seqValue } from "./field-values";
import { type Build, type FrameCase, type FrameContext, idOf, json } from "./frame-case";
import { goodRequestId } from "./strings";

/** Well-formed frames of every type; extra keys (junk included) are ignored. */
export const validFrame: fc.Arbitrary<Build> = fc.oneof(
  fc
    .tuple(
      goodRequestId,
      goodRequestId,
      goodBody,
      fc.option(fc.dictionary(fc.constantFrom("x", "meta", "__proto__x"), junk), { nil: undefined }),
    )
    .map(
      ([s, c, body, extra]): Build =>
        (n, ctx) => {
          const id = idOf(n, s);
          return {
            family: "valid send",
            data: json({ ...extra, type: "send", id, conversationId: ctx.groupId, clientMsgId: idOf(n, c), body }),
            expect: { kind: "answer", id, type: "ack" },
          };
        },
    ),
  fc.tuple(goodRequestId, seqValue, fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined })).map(
    ([s, afterSeq, limit]): Build =>
      (n, ctx) => {
        const id = idOf(n, s);
        return {
          family: "valid sync",
          data: json({ type: "sync", id, conversationId: ctx.groupId, afterSeq, limit }),
          expect: { kind: "answer", id, type: "batch" },
        };
      },
  ),
  fc.tuple(goodRequestId, seqValue).map(
    ([s, seq]): Build =>
      (n, ctx) => {
        const id = idOf(n, s);
        return {
          family: "valid read",
          data: json({ type: "read", id, conversationId: ctx.groupId, seq }),
          expect: { kind: "answer", id, type: "ok" },
        };
      },
  ),
  goodRequestId.map(
    (s): Build =>
      (n) => {
        const id = idOf(n, s);
        return { family: "valid ping", data: json({ type: "ping", id }), expect: { kind: "answer", id, type: "pong" } };
      },
  ),
  fc.constant(
    (_n: number, ctx: FrameContext): FrameCase => ({
      family: "valid typing",
      data: json({ type: "typing", conversationId: ctx.groupId }),
      expect: { kind: "none" },
    }),
  ),
);
