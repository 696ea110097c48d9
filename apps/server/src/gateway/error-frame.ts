import type { ClientFrame, ParseResult, ProtocolError, ServerFrame } from "@mpchat/protocol";

/** An `error` frame carrying the request id when one could be read from what was refused (and the wait, when known). */
export function errorFrameFor(
  error: Omit<ProtocolError, "id">,
  source: ParseResult<ClientFrame>,
  retryAfterMs?: number,
): ServerFrame {
  const id = source.ok ? ("id" in source.value ? source.value.id : undefined) : source.error.id;
  const frame: ServerFrame = { type: "error", code: error.code, message: error.message };
  if (id !== undefined) frame.id = id;
  if (retryAfterMs !== undefined) frame.retryAfterMs = retryAfterMs;
  return frame;
}
