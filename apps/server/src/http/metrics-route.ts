import { errorCodeOfStatus } from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { AppMetrics } from "../metrics/app-metrics";

declare module "fastify" {
  interface FastifyInstance {
    /** The app's Prometheus metrics (the registry behind GET /metrics). */
    metrics: AppMetrics;
  }
}

export interface MetricsPluginOptions {
  metrics: AppMetrics;
}

/**
 * GET /metrics (Prometheus text format), and a hook that counts every HTTP answer.
 * Not encapsulated (fastify-plugin): the hook is the root's, so it sees the
 * routes of every plugin. Register it before the routes.
 */
async function metricsRoute(app: FastifyInstance, options: MetricsPluginOptions): Promise<void> {
  const { metrics } = options;
  app.decorate("metrics", metrics);
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

export const metricsPlugin = fp(metricsRoute, { name: "mpchat-metrics", fastify: "5.x" });
