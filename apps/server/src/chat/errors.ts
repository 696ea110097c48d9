import { ErrorCode } from "@mpchat/protocol";
import { AppError, type ErrorDetails } from "../app-error";
import { GroupFullError, StoreUnavailableError } from "../store/errors";
import { IllFormedStringError } from "../store/well-formed-guard";

/** What a failure looks like on the wire, whichever transport reports it. */
export interface Failure {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
  /** The `error` frame's `retryAfterMs`: how long to wait before retrying, when the server knows. */
  retryAfterMs?: number;
  /** False for bugs and unknown errors, which deserve an error log. */
  expected: boolean;
}

/**
 * The store's errors in the protocol's vocabulary. The store knows no protocol
 * codes (it is an adapter); the chat boundary decides what its refusals mean
 * to a client: an outage is `unavailable` (retry; a retried send is idempotent),
 * an ill-formed string `bad_request`, a full group `conflict`.
 */
export function asAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof StoreUnavailableError) {
    return new AppError(ErrorCode.Unavailable, "storage is unavailable, retry later", { cause: error });
  }
  if (error instanceof IllFormedStringError) return new AppError(ErrorCode.BadRequest, error.message, { cause: error });
  if (error instanceof GroupFullError) return new AppError(ErrorCode.Conflict, error.message, { cause: error });
  return undefined;
}

/** Maps any thrown value to a wire failure; what is not an AppError (or mapped to one) is `internal`. */
export function describeFailure(error: unknown): Failure {
  const known = asAppError(error);
  if (!known) return { code: ErrorCode.Internal, message: "internal error", expected: false };
  const failure: Failure = { code: known.code, message: known.message, expected: true };
  if (known.details) failure.details = known.details;
  if (known.retryAfterMs !== undefined) failure.retryAfterMs = known.retryAfterMs;
  return failure;
}
