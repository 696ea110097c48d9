import type { ErrorCode } from "@mpchat/protocol";

/**
 * What went wrong, as one string the UI can switch on: the server's error codes,
 * plus the ones only a client sees.
 */
export type ChatErrorCode =
  | ErrorCode
  /** No answer within the request timeout. */
  | "timeout"
  /** The socket closed before the answer came. */
  | "connection_lost"
  /** The client was closed (or suspended) by the application. */
  | "closed"
  /** The HTTP request got no response at all. */
  | "network";

export class ChatError extends Error {
  readonly code: ChatErrorCode;
  /** HTTP status, for errors of the REST routes. */
  readonly status: number | undefined;
  /** How long the server asked to wait before retrying (the `error` frame's `retryAfterMs`), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(code: ChatErrorCode, message: string, status?: number, retryAfterMs?: number) {
    super(message);
    this.name = "ChatError";
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The rejection of `send(...).done` when a message failed for good (it is not retried). */
export class SendFailedError extends ChatError {
  readonly clientMsgId: string;
  readonly conversationId: string;

  constructor(code: ChatErrorCode, message: string, clientMsgId: string, conversationId: string) {
    super(code, message);
    this.name = "SendFailedError";
    this.clientMsgId = clientMsgId;
    this.conversationId = conversationId;
  }
}

/** Codes after which sending the same message again cannot succeed. */
const PERMANENT_SEND_ERRORS: readonly ChatErrorCode[] = [
  "bad_request",
  "forbidden",
  "not_found",
  "too_large",
  "conflict",
  "unauthorized",
  // The content check refused it: the same text would be refused again.
  "content_rejected",
];

/** True when a send that failed with `code` must not be retried. */
export function isPermanentSendError(code: ChatErrorCode): boolean {
  return PERMANENT_SEND_ERRORS.indexOf(code) !== -1;
}

/** The message of anything thrown, for an error event. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
