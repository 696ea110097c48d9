import * as v from "valibot";
import { CLIENT_FRAME_TYPES, type ClientFrame, ClientFrameSchema } from "./client-frames";
import { ErrorCode } from "./codes";
import { fastSendFrame } from "./fast-send";
import { codePointLength, Limits } from "./limits";
import { RequestIdSchema } from "./primitives";
import { type ServerFrame, ServerFrameSchema } from "./server-frames";
import { toWellFormed } from "./strings";

/** Why an input was refused: the error code to answer with and a human message. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /** The request id, when one could be read from the refused input. */
  id?: string;
}
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/** One line per issue, each led by the dotted path of the field it is about. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const path = issue.path?.map((item) => String(item.key)).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** Validate `input` against any schema of this package. */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown): ParseResult<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, error: { code: ErrorCode.BadRequest, message: describeIssues(result.issues) } };
}

function readRequestId(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const id = (input as { id?: unknown }).id;
  return v.is(RequestIdSchema, id) ? id : undefined;
}

function withId(error: ProtocolError, id: string | undefined): ProtocolError {
  return id === undefined ? error : { ...error, id };
}

/**
 * Check a decoded client frame. Answers `bad_request` for anything malformed,
 * `too_large` for a text over the code point limit, and carries the request id
 * whenever one could be read so that the error can be correlated.
 */
export function parseClientFrame(input: unknown): ParseResult<ClientFrame> {
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    const send = fastSendFrame(input as Record<string, unknown>);
    if (send && codePointLength(send.body.text) <= Limits.MAX_TEXT_CODE_POINTS) return { ok: true, value: send };
  }
  const id = readRequestId(input);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, error: { code: ErrorCode.BadRequest, message: "frame must be a JSON object" } };
  }
  const type = (input as { type?: unknown }).type;
  if (typeof type !== "string" || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    const message =
      typeof type === "string" ? `unknown frame type "${toWellFormed(type.slice(0, 32))}"` : "type: must be a string";
    return { ok: false, error: withId({ code: ErrorCode.BadRequest, message }, id) };
  }
  const parsed = parseWith(ClientFrameSchema, input);
  if (!parsed.ok) return { ok: false, error: withId(parsed.error, id) };
  const frame = parsed.value;
  if (
    frame.type === "send" &&
    frame.body.kind === "text" &&
    codePointLength(frame.body.text) > Limits.MAX_TEXT_CODE_POINTS
  ) {
    return {
      ok: false,
      error: withId(
        {
          code: ErrorCode.TooLarge,
          message: `body.text: must be at most ${Limits.MAX_TEXT_CODE_POINTS} characters`,
        },
        id,
      ),
    };
  }
  return parsed;
}

/** Decode the text of one WebSocket frame and check it as a client frame. */
export function decodeClientFrame(text: string): ParseResult<ClientFrame> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: ErrorCode.BadRequest, message: "frame is not valid JSON" } };
  }
  return parseClientFrame(input);
}

/** Check a decoded server frame (used by clients). */
export function parseServerFrame(input: unknown): ParseResult<ServerFrame> {
  return parseWith(ServerFrameSchema, input) as ParseResult<ServerFrame>;
}

/** Decode the text of one WebSocket frame and check it as a server frame. */
export function decodeServerFrame(text: string): ParseResult<ServerFrame> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: ErrorCode.BadRequest, message: "frame is not valid JSON" } };
  }
  return parseServerFrame(input);
}

/** Frames are JSON text, one object per WebSocket text frame. */
export function encodeFrame(frame: ClientFrame | ServerFrame): string {
  return JSON.stringify(frame);
}
