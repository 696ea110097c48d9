import type { Message } from "@mpchat/protocol";
import { and, desc, eq } from "drizzle-orm";
import type { BlockRecord, ReportRecord, ReportStatus } from "../safety-records";
import type { SqlScope } from "./sql-db";

/* Blocks, reports and the message lookup they need (protocol 1.1, Safety) in both dialects. */

export async function selectBlock(q: SqlScope, blockerId: string, blockedId: string): Promise<BlockRecord | null> {
  const { blocks } = q.t;
  const [row] = await q.db
    .select()
    .from(blocks)
    .where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
  return row ?? null;
}

/** True when there was such a block (looked up first: the delete's result differs by dialect). */
export async function deleteBlock(q: SqlScope, blockerId: string, blockedId: string): Promise<boolean> {
  if (!(await selectBlock(q, blockerId, blockedId))) return false;
  const { blocks } = q.t;
  await q.db.delete(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
  return true;
}

export async function selectBlocks(q: SqlScope, blockerId: string): Promise<BlockRecord[]> {
  const { blocks } = q.t;
  return q.db
    .select()
    .from(blocks)
    .where(eq(blocks.blockerId, blockerId))
    .orderBy(desc(blocks.createdAt), blocks.blockedId);
}

export async function insertReport(q: SqlScope, report: ReportRecord): Promise<void> {
  await q.db.insert(q.t.reports).values({
    id: report.id,
    reporterId: report.reporterId,
    conversationId: report.conversationId,
    messageId: report.messageId ?? null,
    userId: report.userId ?? null,
    reason: report.reason,
    message: report.message === undefined ? null : JSON.stringify(report.message),
    status: report.status,
    createdAt: report.createdAt,
    resolvedAt: report.resolvedAt ?? null,
    note: report.note ?? null,
  });
}

export async function selectReports(
  q: SqlScope,
  query: { status?: ReportStatus; limit: number },
): Promise<ReportRecord[]> {
  const { reports } = q.t;
  const rows = await q.db
    .select()
    .from(reports)
    .where(query.status === undefined ? undefined : eq(reports.status, query.status))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(query.limit);
  return rows.map(toReportRecord);
}

export async function selectReport(q: SqlScope, id: string): Promise<ReportRecord | null> {
  const [row] = await q.db.select().from(q.t.reports).where(eq(q.t.reports.id, id));
  return row ? toReportRecord(row) : null;
}

/** Run inside a transaction: only an open report changes (its first resolution stands). */
export async function markReportResolved(
  q: SqlScope,
  id: string,
  resolution: { resolvedAt: number; note?: string },
): Promise<ReportRecord | null> {
  const { reports } = q.t;
  await q.db
    .update(reports)
    .set({ status: "resolved", resolvedAt: resolution.resolvedAt, note: resolution.note ?? null })
    .where(and(eq(reports.id, id), eq(reports.status, "open")));
  return selectReport(q, id);
}

type ReportDbRow = {
  id: string;
  reporterId: string;
  conversationId: string;
  messageId: string | null;
  userId: string | null;
  reason: string;
  message: string | null;
  status: ReportStatus;
  createdAt: number;
  resolvedAt: number | null;
  note: string | null;
};

function toReportRecord(row: ReportDbRow): ReportRecord {
  const report: ReportRecord = {
    id: row.id,
    reporterId: row.reporterId,
    conversationId: row.conversationId,
    reason: row.reason,
    status: row.status,
    createdAt: Number(row.createdAt),
  };
  if (row.messageId !== null) report.messageId = row.messageId;
  if (row.userId !== null) report.userId = row.userId;
  // Stored by us from a Message; JSON round-trips every string exactly.
  if (row.message !== null) report.message = JSON.parse(row.message) as Message;
  if (row.resolvedAt !== null) report.resolvedAt = Number(row.resolvedAt);
  if (row.note !== null) report.note = row.note;
  return report;
}
