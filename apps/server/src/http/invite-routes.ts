import { CreateInviteRequestSchema } from "@mpchat/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as v from "valibot";
import { badRequest } from "../app-error";
import type { InviteService } from "../chat/invites";
import { parseOrThrow } from "./parse";

export interface InviteRoutesOptions {
  invites: InviteService;
}

/** Any text is accepted here: the service answers 404 for whatever is not a live code. */
const ParamsSchema = v.object({ code: v.string() });
const codeOf = (request: FastifyRequest) => parseOrThrow(ParamsSchema, request.params).code;

/** Invites (protocol 1.1): create, look at, accept, revoke. */
export async function inviteRoutes(app: FastifyInstance, options: InviteRoutesOptions): Promise<void> {
  const { invites } = options;
  app.addHook("onRequest", app.authenticate);

  app.post("/v1/invites", async (request, reply) => {
    // valibot's object schema takes an array for an object with no fields.
    if (Array.isArray(request.body)) throw badRequest("the body must be an object");
    const body = parseOrThrow(CreateInviteRequestSchema, request.body);
    return reply.code(201).send({ invite: await invites.create(request.userId, body.conversationId) });
  });

  app.get("/v1/invites/:code", async (request) => ({ invite: await invites.details(codeOf(request)) }));

  app.post("/v1/invites/:code/accept", async (request) => ({
    conversation: await invites.accept(request.userId, codeOf(request)),
  }));

  app.delete("/v1/invites/:code", async (request, reply) => {
    await invites.revoke(request.userId, codeOf(request));
    return reply.code(204).send();
  });
}
