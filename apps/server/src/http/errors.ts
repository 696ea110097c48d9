import { type ErrorCode, errorCodeOfStatus, HTTP_STATUS_OF } from "@mpchat/protocol";
import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import fp from "fastify-plugin";
import type { ErrorDetails } from "../app-error";
import { asAppError, describeFailure } from "../chat/errors";

/** The error body of every HTTP failure: `{ error: { code, message, ...details } }`. */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: ErrorDetails): FastifyReply {
  return reply.code(HTTP_STATUS_OF[code]).send({ error: { code, message, ...details } });
}

/**
 * Errors Fastify raises before routing (a path that is not valid percent-encoded
 * UTF-8, e.g. `%ED%A0%80` or `%FF`): answered in the protocol's shape as well.
 */
export function frameworkErrors(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const status = typeof error.statusCode === "number" ? error.statusCode : 400;
  sendError(reply, errorCodeOfStatus(status), error.message);
}

/**
 * Every error, ours or Fastify's, answers in the protocol's shape and status,
 * and so does an unknown route. `frameworkErrors` goes to the Fastify
 * constructor (it cannot be set later); the rest is this plugin.
 */
async function errorHandling(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Fastify's own refusals (bad JSON, body too large, …) carry a status: keep its meaning.
    if (!asAppError(error) && typeof error.statusCode === "number" && error.statusCode < 500) {
      return sendError(reply, errorCodeOfStatus(error.statusCode), error.message);
    }
    const failure = describeFailure(error);
    if (!failure.expected) request.log.error({ err: error }, "request failed");
    return sendError(reply, failure.code, failure.message, failure.details);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, "not_found", `no route ${request.method} ${request.url.split("?")[0]}`),
  );
}

export const errorsPlugin = fp(errorHandling, { name: "mpchat-errors", fastify: "5.x" });
