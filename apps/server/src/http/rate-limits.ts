import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";
import { AppError } from "../app-error";

export interface HttpRateLimitOptions {
  /** Login attempts per client address per minute (refused ones count too). */
  loginPerMinute: number;
  /** Authenticated requests per user per minute. */
  requestsPerMinute: number;
  /** With several instances: the shared counters live here, so that the limits hold across instances. */
  redis?: Redis;
  /** REDIS_PREFIX: every counter key starts with it. */
  prefix: string;
}

const MINUTE_MS = 60_000;

/**
 * Login routes: every POST under /v1/auth/ (also ones added later, and unknown
 * ones: probing counts) except the calls made with a token, which count per user.
 */
function isLogin(request: FastifyRequest): boolean {
  if (request.method !== "POST") return false;
  const path = request.url.split("?")[0] ?? "";
  return path.startsWith("/v1/auth/") && path !== "/v1/auth/logout" && path !== "/v1/auth/refresh";
}

type Limiter = ReturnType<FastifyInstance["createRateLimit"]>;

async function enforce(limiter: Limiter, request: FastifyRequest, reply: FastifyReply, what: string): Promise<void> {
  const result = await limiter(request);
  if (result.isAllowed || !result.isExceeded) return;
  const seconds = Math.max(1, result.ttlInSeconds);
  void reply.header("retry-after", String(seconds));
  throw new AppError("rate_limited", `too many ${what}; retry in ${seconds} s`);
}

/**
 * The HTTP rate limits (@fastify/rate-limit, fixed one-minute windows). Register
 * before the routes: the hooks are the root's (fastify-plugin), so every route
 * added later is covered. /healthz, /readyz, /metrics and the WebSocket upgrade carry no user
 * and are no login, so they are never limited. A Redis failure lets requests
 * through (skipOnError): the limits are a guard, not a dependency.
 */
async function httpRateLimits(app: FastifyInstance, options: HttpRateLimitOptions): Promise<void> {
  // One limiter with the plugin's own store (a limiter made with options gets a
  // child store whose keys carry a route name it does not have): the key says
  // which limit it is, `max` follows the key. Keys: REDIS_PREFIX + "ratelimit:login:<address>" or "…:user:<id>".
  await app.register(rateLimit, {
    global: false,
    skipOnError: true,
    timeWindow: MINUTE_MS,
    // A login carries no user; a 🔒 request has one once `authenticate` ran.
    // request.ip honours TRUST_PROXY (X-Forwarded-For from a trusted proxy only).
    keyGenerator: (request) => (request.userId ? `user:${request.userId}` : `login:${request.ip}`),
    max: (_request, key) => (key.startsWith("user:") ? options.requestsPerMinute : options.loginPerMinute),
    ...(options.redis ? { redis: options.redis, nameSpace: `${options.prefix}ratelimit:` } : {}),
  });
  const limiter = app.createRateLimit();
  app.addHook("onRequest", async (request, reply) => {
    if (isLogin(request)) await enforce(limiter, request, reply, "login attempts from this address");
  });
  // preHandler runs after every onRequest hook, so `authenticate` (a 🔒 route's
  // onRequest hook) has set request.userId by then.
  app.addHook("preHandler", async (request, reply) => {
    if (request.userId) await enforce(limiter, request, reply, "requests");
  });
}

export const rateLimitsPlugin = fp(httpRateLimits, {
  name: "mpchat-rate-limits",
  fastify: "5.x",
  // A refusal is an AppError (429 in the protocol's shape); the per-user key is request.userId.
  dependencies: ["mpchat-errors", "mpchat-auth"],
});
