import { ErrorCode, HTTP_STATUS_OF } from "@mpchat/protocol";

/** Extra fields of an error body (e.g. WeChat's errcode). */
export type ErrorDetails = Record<string, string | number>;

/**
 * The one error the server's parts throw to refuse a request: a protocol error
 * code, its HTTP status (HTTP_STATUS_OF, the table in @mpchat/protocol) and a
 * message for the client. The HTTP error handler and the gateway's dispatcher
 * turn it into an error body or an `error` frame; anything else thrown is a
 * fault (`internal`, logged), unless chat/errors.ts maps it (the store's errors).
 */
export class AppError extends Error {
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  /** How long the client should wait before retrying (the `error` frame's `retryAfterMs`), when known. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { details?: ErrorDetails; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = HTTP_STATUS_OF[code];
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export const badRequest = (message: string) => new AppError(ErrorCode.BadRequest, message);
export const unauthorized = (message: string) => new AppError(ErrorCode.Unauthorized, message);
export const forbidden = (message: string) => new AppError(ErrorCode.Forbidden, message);
export const notFound = (message: string) => new AppError(ErrorCode.NotFound, message);
export const conflict = (message: string) => new AppError(ErrorCode.Conflict, message);
export const unavailable = (message: string) => new AppError(ErrorCode.Unavailable, message);
