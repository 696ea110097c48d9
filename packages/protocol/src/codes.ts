/** Error codes carried by `error` frames and HTTP error bodies. */
export const ErrorCode = {
  BadRequest: "bad_request",
  Unauthorized: "unauthorized",
  Forbidden: "forbidden",
  NotFound: "not_found",
  Conflict: "conflict",
  TooLarge: "too_large",
  RateLimited: "rate_limited",
  Unavailable: "unavailable",
  Internal: "internal",
  /** The content check refused the text, title, name or announcement (protocol 1.1). Final: do not retry. */
  ContentRejected: "content_rejected",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** The HTTP status that goes with each error code. */
export const HTTP_STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
  content_rejected: 422,
};

/**
 * The error code an HTTP status stands for: the inverse of HTTP_STATUS_OF, so
 * that a status raised by a framework (bad JSON 400, body too large 413) keeps
 * its meaning; any other 4xx is `bad_request`, anything else `internal`.
 */
export function errorCodeOfStatus(status: number): ErrorCode {
  for (const code of ERROR_CODES) if (HTTP_STATUS_OF[code] === status) return code;
  return status >= 400 && status < 500 ? ErrorCode.BadRequest : ErrorCode.Internal;
}

/** WebSocket close codes. Shared so that server and client agree on what each means. */
export const CloseCode = {
  /** Normal closure, e.g. the client logged out. */
  Normal: 1000,
  /** Server going away (shutdown). Reconnect, preferably to another instance. */
  GoingAway: 1001,
  /** Frame larger than MAX_FRAME_BYTES. */
  TooLarge: 1009,
  /** The token could not be checked now (the database is down): reconnect with the same token after a backoff. */
  TryAgainLater: 1013,
  /** Repeated protocol violations. */
  ProtocolViolation: 4400,
  /** The credentials are refused (invalid, expired or revoked token; logged out), or the first frame was not `auth`. Log in again. */
  Unauthorized: 4401,
  /** Banned by an admin (protocol 1.1). Do not reconnect. */
  Banned: 4403,
  /** No frame received within the heartbeat timeout. Reconnect. */
  HeartbeatTimeout: 4408,
  /**
   * No `auth` within the time after the upgrade (protocol 1.1; 4401 in v1): a timeout,
   * not a refusal. Reconnect with the same token. The same code as a silent connection.
   */
  AuthTimeout: 4408,
  /** Replaced by a newer connection of the same user (protocol 1.1). Do not reconnect in a loop. */
  Replaced: 4409,
  /** The protocol version asked for in `auth` is not served (protocol 1.1); the reason says which are. */
  VersionNotServed: 4426,
  /** Flooding: kept sending past rate limits. */
  Flooding: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
