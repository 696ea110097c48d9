import {
  ADMIN_READ_ACTIONS,
  AdminEntityParamsSchema,
  type AdminReportResponse,
  type AdminReportsResponse,
  AdminUserParamsSchema,
  AuditQuerySchema,
  BanRequestSchema,
  codePointLength,
  isWellFormedText,
  MAX_ADMIN_REASON_CODE_POINTS,
  RemoveMessageRequestSchema,
  type RemoveMessageResponse,
  ReportsQuerySchema,
  ResolveReportRequestSchema,
  USER_ID_PATTERN,
} from "@mpchat/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AdminConversations } from "../admin/conversations";
import type { AdminUsers } from "../admin/users";
import { notFound } from "../app-error";
import type { Bus } from "../bus/bus";
import type { MessageService } from "../chat/messages";
import type { StatsSampler } from "../metrics/stats-sampler";
import type { Store } from "../store/store";
import { adminTokenCheck } from "./admin-auth";
import { adminConversationRoutes } from "./admin-conversation-routes";
import { probe } from "./health-routes";
import { parseOrThrow } from "./parse";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The audit log's name of an admin route's action (e.g. `user.ban`); unset: not audited. */
    adminAction?: string;
  }
}

export interface AdminRoutesOptions {
  adminToken: string;
  store: Store;
  bus: Bus;
  users: AdminUsers;
  conversations: AdminConversations;
  messages: Pick<MessageService, "recallByModeration">;
  stats: StatsSampler;
  now: () => number;
  /** A dependency that has not answered within this time counts as down. */
  timeoutMs: number;
}

/** The queue lists at most this many reports, newest first. */
const MAX_LISTED_REPORTS = 500;

const authorizedCalls = new WeakSet<FastifyRequest>();

/** The path's `:id` (and `/:userId`, a member's) when well-formed ids (anything else is not worth keeping). */
function targetOf(request: FastifyRequest): string | undefined {
  const params = request.params as { id?: unknown; userId?: unknown } | undefined;
  const wellFormed = (id: unknown): id is string => typeof id === "string" && USER_ID_PATTERN.test(id);
  if (!wellFormed(params?.id)) return undefined;
  return wellFormed(params.userId) ? `${params.id}/${params.userId}` : params.id;
}

/** The body's `reason` (or a resolution's `note`) when it is one an operator could give. */
function reasonOf(request: FastifyRequest): string | undefined {
  const body = request.body as { reason?: unknown; note?: unknown } | undefined;
  const reason = body?.reason ?? body?.note;
  if (typeof reason !== "string" || !isWellFormedText(reason) || reason.trim() === "") return undefined;
  return codePointLength(reason) <= MAX_ADMIN_REASON_CODE_POINTS ? reason : undefined;
}

/**
 * `/v1/admin/*` (PROTOCOL.md "Operators"), registered only when ADMIN_TOKEN is set
 * (otherwise none of it exists: 404). Every authorized call (each route has an
 * `adminAction`) is written to the audit log before it is answered, refusals
 * included, as PROTOCOL.md says. The read-only ones (ADMIN_READ_ACTIONS: lookups,
 * lists, the charts' stats every 2 s) would bury the actions an operator answers
 * for, so the listing can leave them out (`only=changes`, the console's default).
 */
export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const { store, users, now } = options;
  const check = adminTokenCheck(options.adminToken);

  app.addHook("onRequest", async (request) => {
    check(request.headers.authorization);
    authorizedCalls.add(request);
  });
  app.addHook("onSend", async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const action = request.routeOptions.config.adminAction;
    if (!action || !authorizedCalls.has(request)) return payload;
    const target = targetOf(request);
    const reason = reasonOf(request);
    await store.appendAudit({
      at: now(),
      actor: request.ip,
      action,
      status: reply.statusCode,
      ...(target === undefined ? {} : { target }),
      ...(reason === undefined ? {} : { reason }),
    });
    return payload;
  });

  app.get("/v1/admin/users/:id", { config: { adminAction: "user.get" } }, async (request) => {
    const { id } = parseOrThrow(AdminUserParamsSchema, request.params);
    return users.lookup(id);
  });

  app.post("/v1/admin/users/:id/ban", { config: { adminAction: "user.ban" } }, async (request) => {
    const { id } = parseOrThrow(AdminUserParamsSchema, request.params);
    const body = parseOrThrow(BanRequestSchema, request.body);
    return { ban: await users.ban(id, body) };
  });

  app.delete("/v1/admin/users/:id/ban", { config: { adminAction: "user.unban" } }, async (request, reply) => {
    const { id } = parseOrThrow(AdminUserParamsSchema, request.params);
    await users.unban(id);
    return reply.code(204).send();
  });

  app.get("/v1/admin/reports", { config: { adminAction: "report.list" } }, async (request) => {
    const { status } = parseOrThrow(ReportsQuerySchema, request.query);
    const reports = await store.listReports({ ...(status === undefined ? {} : { status }), limit: MAX_LISTED_REPORTS });
    return { reports } satisfies AdminReportsResponse;
  });

  app.post("/v1/admin/reports/:id/resolve", { config: { adminAction: "report.resolve" } }, async (request) => {
    const { id } = parseOrThrow(AdminEntityParamsSchema, request.params);
    const { note } = parseOrThrow(ResolveReportRequestSchema, request.body ?? {});
    const report = await store.resolveReport(id, { resolvedAt: now(), ...(note === undefined ? {} : { note }) });
    if (!report) throw notFound("no such report");
    return { report } satisfies AdminReportResponse;
  });

  app.delete("/v1/admin/messages/:id", { config: { adminAction: "message.remove" } }, async (request) => {
    const { id } = parseOrThrow(AdminEntityParamsSchema, request.params);
    parseOrThrow(RemoveMessageRequestSchema, request.body);
    const result = await options.messages.recallByModeration(id);
    if (!result) throw notFound("no such message");
    return { message: result.message } satisfies RemoveMessageResponse;
  });

  app.get("/v1/admin/audit", { config: { adminAction: "audit.list" } }, async (request) => {
    const { limit, only } = parseOrThrow(AuditQuerySchema, request.query);
    return { entries: await store.listAudit(limit, only === "changes" ? ADMIN_READ_ACTIONS : []) };
  });

  adminConversationRoutes(app, options.conversations);

  // Audited like every call, although the console polls it every 2 s: its audit page lists `only=changes`.
  app.get("/v1/admin/stats", { config: { adminAction: "stats.get" } }, async (request) => {
    const [rates, storeState, busState] = await Promise.all([
      options.stats.sample(),
      probe(() => store.ping(), options.timeoutMs, "store", request.log),
      probe(() => options.bus.ping(), options.timeoutMs, "bus", request.log),
    ]);
    return { ...rates, store: storeState, bus: busState, at: now() };
  });
}
