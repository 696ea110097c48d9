import {
  EntityIdSchema,
  MuteRequestSchema,
  SetAdminRequestSchema,
  TransferOwnerRequestSchema,
  UpdateGroupRequestSchema,
  UserIdSchema,
} from "@mpchat/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as v from "valibot";
import type { GroupService } from "../chat/groups";
import { parseOrThrow } from "./parse";

export interface GroupRoutesOptions {
  groups: GroupService;
}

const ParamsSchema = v.object({ id: EntityIdSchema });
const MemberParamsSchema = v.object({ id: EntityIdSchema, userId: UserIdSchema });
const conversationId = (request: FastifyRequest) => parseOrThrow(ParamsSchema, request.params).id;

/** Group management (protocol 1.1): each answers `200 { conversation }`, leaving `204`. */
export async function groupRoutes(app: FastifyInstance, options: GroupRoutesOptions): Promise<void> {
  const { groups } = options;
  app.addHook("onRequest", app.authenticate);

  app.patch("/v1/conversations/:id", async (request) => {
    const id = conversationId(request);
    const body = parseOrThrow(UpdateGroupRequestSchema, request.body);
    return { conversation: await groups.update(request.userId, id, body) };
  });

  app.delete("/v1/conversations/:id/members/:userId", async (request, reply) => {
    const { id, userId } = parseOrThrow(MemberParamsSchema, request.params);
    const conversation = await groups.removeMember(request.userId, id, userId);
    if (!conversation) return reply.code(204).send();
    return { conversation };
  });

  app.post("/v1/conversations/:id/owner", async (request) => {
    const id = conversationId(request);
    const body = parseOrThrow(TransferOwnerRequestSchema, request.body);
    return { conversation: await groups.transferOwner(request.userId, id, body.userId) };
  });

  app.post("/v1/conversations/:id/admins", async (request) => {
    const id = conversationId(request);
    const body = parseOrThrow(SetAdminRequestSchema, request.body);
    return { conversation: await groups.setAdmin(request.userId, id, body.userId, body.admin) };
  });

  app.post("/v1/conversations/:id/mute", async (request) => {
    const id = conversationId(request);
    const body = parseOrThrow(MuteRequestSchema, request.body);
    return { conversation: await groups.mute(request.userId, id, body.userId, body.untilMs) };
  });

  app.delete("/v1/conversations/:id", async (request) => {
    const id = conversationId(request);
    return { conversation: await groups.dissolve(request.userId, id) };
  });
}
