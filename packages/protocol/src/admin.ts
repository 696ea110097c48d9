import * as v from "valibot";
import { codePointLength } from "./limits";
import type { Message, User } from "./model";
import { EntityIdSchema, TextStringSchema, TimestampSchema, UserIdSchema } from "./primitives";

/**
 * The operators' API (`/v1/admin/*`, PROTOCOL.md "Operators"): request bodies and
 * answers. Every call needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */

/** The longest reason or note an operator may give. */
export const MAX_ADMIN_REASON_CODE_POINTS = 500;

/** Why an operator acted: 1 to 500 characters, not only spaces. */
export const AdminReasonSchema = v.pipe(
  TextStringSchema,
  v.check((text) => text.trim().length > 0, "must not be empty"),
  v.check(
    (text) => codePointLength(text) <= MAX_ADMIN_REASON_CODE_POINTS,
    `must be at most ${MAX_ADMIN_REASON_CODE_POINTS} characters`,
  ),
);

/** `POST /v1/admin/users/:id/ban`: `untilMs` (epoch ms) ends it by itself; absent: until lifted. */
export const BanRequestSchema = v.object({
  reason: AdminReasonSchema,
  untilMs: v.optional(v.pipe(TimestampSchema, v.minValue(1, "must be a positive epoch ms"))),
});
export type BanRequest = v.InferOutput<typeof BanRequestSchema>;

/** `DELETE /v1/admin/messages/:id`. */
export const RemoveMessageRequestSchema = v.object({ reason: AdminReasonSchema });

/** `POST /v1/admin/reports/:id/resolve`: a JSON object (an array is not one, though `note` is optional). */
export const ResolveReportRequestSchema = v.pipe(
  v.custom<Record<string, unknown>>(
    (input) => typeof input === "object" && input !== null && !Array.isArray(input),
    "must be a JSON object",
  ),
  v.object({ note: v.optional(AdminReasonSchema) }),
);

/** `GET /v1/admin/reports?status=open|resolved`: all of them (newest first) without. */
export const ReportsQuerySchema = v.object({
  status: v.optional(v.picklist(["open", "resolved"], "must be open or resolved")),
});

/** The `:id` of an admin path. */
export const AdminUserParamsSchema = v.object({ id: UserIdSchema });
export const AdminEntityParamsSchema = v.object({ id: EntityIdSchema });

/**
 * The audit log's actions of the admin calls that only read (lookups, lists, the
 * charts' stats). They are written like every call; `only=changes` leaves them out.
 */
export const ADMIN_READ_ACTIONS = [
  "user.get",
  "user.conversations",
  "conversation.get",
  "report.list",
  "audit.list",
  "stats.get",
] as const;

/** `GET /v1/admin/audit?limit=N&only=changes`: 1 to 500 (default 100); `only=changes` leaves out ADMIN_READ_ACTIONS. */
export const AuditQuerySchema = v.object({
  only: v.optional(v.picklist(["changes"], "must be changes")),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[0-9]{1,3}$/, "must be an integer from 1 to 500"),
      v.transform(Number),
      v.minValue(1, "must be an integer from 1 to 500"),
      v.maxValue(500, "must be an integer from 1 to 500"),
    ),
    "100",
  ),
});

export interface Ban {
  userId: string;
  reason: string;
  createdAt: number;
  untilMs?: number;
}

export interface BanResponse {
  ban: Ban;
}

export interface AdminUserResponse {
  user: User;
  conversationIds: string[];
  /** Present while the user is banned. */
  ban?: Ban;
}

export interface AuditEntryView {
  at: number;
  action: string;
  target?: string;
  reason?: string;
  /** The caller's address. */
  actor: string;
  /** The HTTP status the call was answered with. */
  status: number;
}

export interface AuditResponse {
  entries: AuditEntryView[];
}

export type DependencyState = "up" | "down";

/** `GET /v1/admin/stats`: this instance's numbers since the previous call (the console's charts). */
export interface AdminStatsResponse {
  /** Open WebSocket connections on this instance. */
  connections: number;
  /** Messages this instance stored per second since the previous call. */
  messagesPerSecond: number;
  /** The 99th percentile of send → ack since the previous call (bucket bound, ms); 0 without sends. */
  ackP99Ms: number;
  store: DependencyState;
  bus: DependencyState;
  /** Epoch ms of the sample. */
  at: number;
}

/** A report as the operator reads it: the reported message as it was when reported. */
export interface AdminReport {
  id: string;
  reporterId: string;
  conversationId: string;
  messageId?: string;
  userId?: string;
  reason: string;
  createdAt: number;
  status: "open" | "resolved";
  message?: Message;
  /** Set once resolved. */
  resolvedAt?: number;
  note?: string;
}

export interface AdminReportsResponse {
  reports: AdminReport[];
}

export interface AdminReportResponse {
  report: AdminReport;
}

/** `DELETE /v1/admin/messages/:id`: the recall message (`senderId` "system", `by` "moderation"). */
export interface RemoveMessageResponse {
  message: Message;
}
