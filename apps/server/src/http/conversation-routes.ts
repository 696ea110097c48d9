import {
  AddMembersRequestSchema,
  CreateConversationRequestSchema,
  EntityIdSchema,
  MessagesQuerySchema,
  SettingsRequestSchema,
} from "@mpchat/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as v from "valibot";
import type { ConversationService } from "../chat/conversations";
import type { GroupService } from "../chat/groups";
import type { MessageService } from "../chat/messages";
import { parseOrThrow } from "./parse";

export interface ConversationRoutesOptions {
  conversations: ConversationService;
  groups: GroupService;
  messages: MessageService;
}

const ParamsSchema = v.object({ id: EntityIdSchema });
const conversationId = (request: FastifyRequest) => parseOrThrow(ParamsSchema, request.params).id;

export async function conversationRoutes(app: FastifyInstance, options: ConversationRoutesOptions): Promise<void> {
  const { conversations, groups, messages } = options;
  app.addHook("onRequest", app.authenticate);

  app.get("/v1/conversations", async (request) => ({ conversations: await conversations.list(request.userId) }));

  app.post("/v1/conversations", async (request, reply) => {
    const body = parseOrThrow(CreateConversationRequestSchema, request.body);
    if (body.kind === "direct") {
      const { conversation, created } = await conversations.createDirect(request.userId, body.peerId);
      return reply.code(created ? 201 : 200).send({ conversation });
    }
    const conversation = await conversations.createGroup(request.userId, body.title, body.memberIds);
    return reply.code(201).send({ conversation });
  });

  app.post("/v1/conversations/:id/members", async (request) => {
    const id = conversationId(request);
    const body = parseOrThrow(AddMembersRequestSchema, request.body);
    return { conversation: await groups.addMembers(request.userId, id, body.userIds) };
  });

  const updateSettings = async (request: FastifyRequest) => {
    const id = conversationId(request);
    const patch = parseOrThrow(SettingsRequestSchema, request.body ?? {});
    return { conversation: await conversations.updateSettings(request.userId, id, patch) };
  };
  app.patch("/v1/conversations/:id/settings", updateSettings);
  // The same as POST: wx.request has no PATCH (as `POST /v1/me` is `PATCH /v1/me`'s alias).
  app.post("/v1/conversations/:id/settings", updateSettings);

  app.get("/v1/conversations/:id/messages", async (request) => {
    const id = conversationId(request);
    const query = parseOrThrow(MessagesQuerySchema, request.query);
    return messages.history(request.userId, id, query);
  });
}
