import {
  AdminConversationParamsSchema,
  type AdminConversationResponse,
  type AdminConversationsResponse,
  AdminMemberParamsSchema,
  AdminModerationRequestSchema,
  AdminUserParamsSchema,
} from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import type { AdminConversations } from "../admin/conversations";
import { parseOrThrow } from "./parse";

/**
 * The conversation part of `/v1/admin/*` (PROTOCOL.md "Operators"), registered
 * inside adminRoutes so that its token check and audit hooks hold here too.
 */
export function adminConversationRoutes(app: FastifyInstance, conversations: AdminConversations): void {
  app.get("/v1/admin/conversations/:id", { config: { adminAction: "conversation.get" } }, async (request) => {
    const { id } = parseOrThrow(AdminConversationParamsSchema, request.params);
    return { conversation: await conversations.lookup(id) } satisfies AdminConversationResponse;
  });

  app.get("/v1/admin/users/:id/conversations", { config: { adminAction: "user.conversations" } }, async (request) => {
    const { id } = parseOrThrow(AdminUserParamsSchema, request.params);
    return { conversations: await conversations.listOf(id) } satisfies AdminConversationsResponse;
  });

  app.delete(
    "/v1/admin/conversations/:id/members/:userId",
    { config: { adminAction: "conversation.remove_member" } },
    async (request) => {
      const { id, userId } = parseOrThrow(AdminMemberParamsSchema, request.params);
      parseOrThrow(AdminModerationRequestSchema, request.body);
      return { conversation: await conversations.removeMember(id, userId) } satisfies AdminConversationResponse;
    },
  );

  app.post(
    "/v1/admin/conversations/:id/dissolve",
    { config: { adminAction: "conversation.dissolve" } },
    async (request) => {
      const { id } = parseOrThrow(AdminConversationParamsSchema, request.params);
      parseOrThrow(AdminModerationRequestSchema, request.body);
      return { conversation: await conversations.dissolve(id) } satisfies AdminConversationResponse;
    },
  );
}
