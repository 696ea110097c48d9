import { errorCodeOfStatus } from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import type { AppMetrics } from "../metrics/app-metrics";

/**
 * GET /metrics (Prometheus text format), and a hook that counts every HTTP answer.
 * Not a plugin on purpose: the hook must see the routes of every plugin. Call it
 * before the other routes are registered.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: AppMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    // The route template, not the URL: ids must not become label values.
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    const code = status >= 400 ? errorCodeOfStatus(status) : undefined;
    metrics.httpAnswered(request.method, route, status, code);
  });

  app.get("/metrics", async (_request, reply) => {
    const { contentType, text } = await metrics.exposition();
    return reply.type(contentType).send(text);
  });
}
