import { type ErrorCode, HTTP_STATUS_OF } from "@mpchat/protocol";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { ChatError, describeFailure } from "../chat/errors";

/** The error body of every HTTP failure: `{ error: { code, message, ...details } }`. */
export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  details?: Record<string, string | number>,
): FastifyReply {
  return reply.code(HTTP_STATUS_OF[code]).send({ error: { code, message, ...details } });
}

/** Fastify's own errors (bad JSON, body too large, …) carry a status; keep its meaning. */
function codeOfStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 413:
      return "too_large";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
    default:
      return status >= 400 && status < 500 ? "bad_request" : "internal";
  }
}

/**
 * Errors Fastify raises before routing (a path that is not valid percent-encoded
 * UTF-8, e.g. `%ED%A0%80` or `%FF`): answered in the protocol's shape as well.
 */
export function frameworkErrors(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const status = typeof error.statusCode === "number" ? error.statusCode : 400;
  sendError(reply, codeOfStatus(status), error.message);
}

/** Every error, ours or Fastify's, answers in the protocol's shape and status. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const isOurs = error instanceof ChatError || error.name === "StoreUnavailableError";
    if (!isOurs && typeof error.statusCode === "number" && error.statusCode < 500) {
      return sendError(reply, codeOfStatus(error.statusCode), error.message);
    }
    const failure = describeFailure(error);
    if (!failure.expected) request.log.error({ err: error }, "request failed");
    return sendError(reply, failure.code, failure.message, failure.details);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, "not_found", `no route ${request.method} ${request.url.split("?")[0]}`),
  );
}
