import type { ErrorCode, ServerFrame } from "@mpchat/protocol";

// The shape of one generated frame and what it must be answered with; the generators share these.

/** Where a frame is sent: the fuzzer's own group. */
export interface FrameContext {
  groupId: string;
}

/** The documented answer to one frame (PROTOCOL.md, guarantee 7 and "Strings, everywhere"). */
export type Expectation =
  /** An answer of this type carrying the frame's id. */
  | { kind: "answer"; id: string; type: ServerFrame["type"] }
  /** An error with this code carrying the frame's id. */
  | { kind: "error"; id: string; code: ErrorCode }
  /** A bad_request error carrying no id (no id could be read). */
  | { kind: "anonymous" }
  /** No answer at all (typing). */
  | { kind: "none" };

export interface FrameCase {
  family: string;
  data: string | Buffer;
  binary?: boolean;
  expect: Expectation;
}

export type Build = (n: number, ctx: FrameContext) => FrameCase;
export const json = (v: unknown) => JSON.stringify(v);

/** A unique, well-formed request id: the counter, then arbitrary well-formed text. */
export const idOf = (n: number, suffix: string) => {
  const id = `f${n}~${suffix}`;
  // Cut to 64 units without leaving half a surrogate pair at the end.
  const cut = id.slice(0, 64);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
};
