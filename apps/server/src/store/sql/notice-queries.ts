import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { MAX_NOTICE_CREDITS, type NoticeCandidate, type NoticeSubscription } from "../notice-records";
import type { SqlScope } from "./sql-db";

/* The subscription ledger and the notice marks (protocol 1.1, Offline notices) in both dialects. */

export async function selectNoticeCredits(q: SqlScope, userId: string): Promise<NoticeSubscription[]> {
  const { noticeCredits } = q.t;
  return q.db
    .select({ templateId: noticeCredits.templateId, credits: noticeCredits.credits })
    .from(noticeCredits)
    .where(eq(noticeCredits.userId, userId))
    .orderBy(noticeCredits.templateId);
}

export async function selectCreditsOf(q: SqlScope, userId: string, templateId: string): Promise<number> {
  const { noticeCredits } = q.t;
  const [row] = await q.db
    .select({ credits: noticeCredits.credits })
    .from(noticeCredits)
    .where(and(eq(noticeCredits.userId, userId), eq(noticeCredits.templateId, templateId)));
  return row?.credits ?? 0;
}

/** Adds to an existing row (the caller inserted it when there was none). */
export async function increaseCredits(q: SqlScope, userId: string, templateId: string, by: number): Promise<void> {
  const { noticeCredits } = q.t;
  await q.db
    .update(noticeCredits)
    .set({ credits: q.least(sql`${noticeCredits.credits} + ${by}`, MAX_NOTICE_CREDITS) })
    .where(and(eq(noticeCredits.userId, userId), eq(noticeCredits.templateId, templateId)));
}

export async function setCredits(q: SqlScope, userId: string, templateId: string, credits: number): Promise<void> {
  const { noticeCredits } = q.t;
  await q.db
    .update(noticeCredits)
    .set({ credits })
    .where(and(eq(noticeCredits.userId, userId), eq(noticeCredits.templateId, templateId)));
}

/**
 * One query: membership (for the read cursor, hence the count), notifications
 * not muted (the member's `settings.muted`), a credit, no mark.
 */
export async function selectNoticeCandidates(
  q: SqlScope,
  conversationId: string,
  templateId: string,
  userIds: readonly string[],
): Promise<NoticeCandidate[]> {
  const { members, noticeCredits, noticeMarks } = q.t;
  return q.db
    .select({ userId: members.userId, readSeq: members.readSeq })
    .from(members)
    .innerJoin(noticeCredits, and(eq(noticeCredits.userId, members.userId), eq(noticeCredits.templateId, templateId)))
    .leftJoin(
      noticeMarks,
      and(eq(noticeMarks.userId, members.userId), eq(noticeMarks.conversationId, members.conversationId)),
    )
    .where(
      and(
        eq(members.conversationId, conversationId),
        inArray(members.userId, [...userIds]),
        eq(members.notificationsMuted, false),
        gt(noticeCredits.credits, 0),
        isNull(noticeMarks.userId),
      ),
    );
}

export async function selectHasMark(q: SqlScope, userId: string, conversationId: string): Promise<boolean> {
  const { noticeMarks } = q.t;
  const [row] = await q.db
    .select({ userId: noticeMarks.userId })
    .from(noticeMarks)
    .where(and(eq(noticeMarks.userId, userId), eq(noticeMarks.conversationId, conversationId)));
  return row !== undefined;
}

export async function insertMark(q: SqlScope, userId: string, conversationId: string, at: number): Promise<void> {
  await q.db.insert(q.t.noticeMarks).values({ userId, conversationId, notifiedAt: at });
}

export async function deleteMark(q: SqlScope, userId: string, conversationId: string): Promise<void> {
  const { noticeMarks } = q.t;
  await q.db
    .delete(noticeMarks)
    .where(and(eq(noticeMarks.userId, userId), eq(noticeMarks.conversationId, conversationId)));
}

export async function deleteMarksOf(q: SqlScope, userId: string): Promise<void> {
  const { noticeMarks } = q.t;
  await q.db.delete(noticeMarks).where(eq(noticeMarks.userId, userId));
}
