import { NoticeSubscriptionRequestSchema } from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import type { NoticeSubscriptions } from "../notices/notice-subscriptions";
import { parseOrThrow } from "./parse";

export interface NoticeRoutesOptions {
  subscriptions: NoticeSubscriptions;
}

/** `POST` and `GET /v1/notifications/subscriptions` (protocol 1.1, Offline notices). */
export async function noticeRoutes(app: FastifyInstance, options: NoticeRoutesOptions): Promise<void> {
  const { subscriptions } = options;
  app.addHook("onRequest", app.authenticate);

  app.post("/v1/notifications/subscriptions", async (request) => {
    const { templateId, accepted } = parseOrThrow(NoticeSubscriptionRequestSchema, request.body);
    return { subscription: await subscriptions.report(request.userId, templateId, accepted) };
  });

  app.get("/v1/notifications/subscriptions", async (request) => ({
    subscriptions: await subscriptions.list(request.userId),
  }));
}
