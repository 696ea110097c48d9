/**
 * The database did not answer (unreachable, timed out, or locked past the busy
 * timeout). The chat boundary (chat/errors.ts) maps it to the protocol's `unavailable` (HTTP 503); the
 * operation may be retried, and a retried send is safe because
 * `(senderId, clientMsgId)` is idempotent.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";

  constructor(message = "the database is unavailable", options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isStoreUnavailable(error: unknown): error is StoreUnavailableError {
  return error instanceof StoreUnavailableError;
}

/**
 * The group would pass MAX_GROUP_MEMBERS: nothing was added. The chat boundary
 * (chat/errors.ts) maps it to the protocol's `conflict` (HTTP 409).
 */
export class GroupFullError extends Error {
  override readonly name = "GroupFullError";

  constructor(readonly limit: number) {
    super(`a group has at most ${limit} members`);
  }
}
