import { ErrorCode } from "@mpchat/protocol";

/** A refusal by the chat rules, carrying the protocol's error code. */
export class ChatError extends Error {
  override name = "ChatError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields for the error body (e.g. WeChat's errcode). */
    readonly details?: Record<string, string | number>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ChatError(ErrorCode.BadRequest, message);
export const forbidden = (message: string) => new ChatError(ErrorCode.Forbidden, message);
export const notFound = (message: string) => new ChatError(ErrorCode.NotFound, message);
export const conflict = (message: string) => new ChatError(ErrorCode.Conflict, message);

/** What a failure looks like on the wire, whichever transport reports it. */
export interface Failure {
  code: ErrorCode;
  message: string;
  details?: Record<string, string | number>;
  /** False for bugs and unknown errors, which deserve an error log. */
  expected: boolean;
}

/** Maps any thrown value to a wire failure. Store outages become `unavailable`. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof ChatError) {
    const failure: Failure = { code: error.code, message: error.message, expected: true };
    if (error.details) failure.details = error.details;
    return failure;
  }
  // Matched by name so that this layer does not import the store's modules.
  if (error instanceof Error && error.name === "IllFormedStringError") {
    return { code: ErrorCode.BadRequest, message: error.message, expected: true };
  }
  if (error instanceof Error && error.name === "StoreUnavailableError") {
    return { code: ErrorCode.Unavailable, message: "storage is unavailable, retry later", expected: true };
  }
  return { code: ErrorCode.Internal, message: "internal error", expected: false };
}
