import { desc, eq, notInArray } from "drizzle-orm";
import type { AuditEntry, BanRecord } from "../admin-records";
import type { SqlScope } from "./sql-db";

/* Bans and the audit log (admin API), in both dialects. */

/** Run inside a transaction: replaces the user's ban. */
export async function replaceBan(q: SqlScope, ban: BanRecord): Promise<void> {
  const { bans } = q.t;
  await q.db.delete(bans).where(eq(bans.userId, ban.userId));
  await q.db.insert(bans).values({ ...ban, untilMs: ban.untilMs ?? null });
}

export async function selectBan(q: SqlScope, userId: string): Promise<BanRecord | null> {
  const { bans } = q.t;
  const [row] = await q.db.select().from(bans).where(eq(bans.userId, userId));
  if (!row) return null;
  const { untilMs, ...rest } = row;
  return untilMs === null ? rest : { ...rest, untilMs };
}

export async function removeBan(q: SqlScope, userId: string): Promise<void> {
  const { bans } = q.t;
  await q.db.delete(bans).where(eq(bans.userId, userId));
}

export async function insertAudit(q: SqlScope, entry: AuditEntry): Promise<void> {
  await q.db.insert(q.t.auditLog).values({ ...entry, target: entry.target ?? null, reason: entry.reason ?? null });
}

export async function selectAudit(q: SqlScope, limit: number, leaveOut: readonly string[]): Promise<AuditEntry[]> {
  const { auditLog } = q.t;
  const rows = await q.db
    .select()
    .from(auditLog)
    .where(leaveOut.length === 0 ? undefined : notInArray(auditLog.action, [...leaveOut]))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map(({ id: _id, target, reason, ...rest }) => ({
    ...rest,
    ...(target === null ? {} : { target }),
    ...(reason === null ? {} : { reason }),
  }));
}
