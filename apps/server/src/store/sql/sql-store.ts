import type { Message } from "@mpchat/protocol";
import type { AuditEntry, BanRecord } from "../admin-records";
import type { MediaCheckRecord } from "../media-check-records";
import { MAX_NOTICE_CREDITS, type NoticeCandidate, type NoticeSubscription } from "../notice-records";
import type { InviteRecord, MediaRecord, ProfilePatch } from "../profile-records";
import type { BlockRecord, ReportRecord, ReportStatus } from "../safety-records";
import type { Store, UserRecord } from "../store";
import { insertAudit, removeBan, replaceBan, selectAudit, selectBan } from "./admin-queries";
import { BlockLookups } from "./block-lookups";
import {
  deleteMediaCheckRow,
  insertMediaCheckOnce,
  selectMediaCheck,
  selectMessagesShowingMedia,
} from "./media-check-queries";
import {
  deleteMark,
  deleteMarksOf,
  increaseCredits,
  insertMark,
  selectCreditsOf,
  selectHasMark,
  selectNoticeCandidates,
  selectNoticeCredits,
  setCredits,
} from "./notice-queries";
import {
  deleteUnreferencedMediaRow,
  insertInvite,
  markInviteRevoked,
  selectInvite,
  selectMedia,
  selectMediaByClientId,
  selectMediaSharedWith,
  selectUnreferencedMedia,
  selectUsers,
  updateProfileRow,
} from "./profile-queries";
import {
  deleteBlock,
  insertReport,
  markReportResolved,
  selectBlock,
  selectBlocks,
  selectReports,
} from "./safety-queries";
import { SqlCoreStore } from "./sql-core-store";
import type { SqlScope } from "./sql-db";

/**
 * The Store port over SQL, written once for both dialects. A dialect's store
 * extends it with how statements run there (connections, the write lock,
 * transactions, row locks) and with what only it can write (the group-commit
 * appender, upserts, the direct conversation race, deletes that say what they
 * removed). `Native` is that dialect's own drizzle type of one connection.
 * Users, sessions, conversations and messages are in SqlCoreStore; here the rest.
 */
export abstract class SqlStore<Native> extends SqlCoreStore<Native> implements Store {
  private blockLookups: BlockLookups | undefined;
  /** Inserts the block unless (blockerId, blockedId) is stored; true when it inserted. */
  protected abstract insertBlockOnce(q: SqlScope<Native>, block: BlockRecord): Promise<boolean>;
  /** Inserts the credits row unless (userId, templateId) is stored; true when it inserted. */
  protected abstract insertNoticeCreditsOnce(
    q: SqlScope<Native>,
    row: { userId: string; templateId: string; credits: number },
  ): Promise<boolean>;
  /**
   * Inside a transaction: locks the user's credits row of the template until
   * commit (MySQL: FOR UPDATE; SQLite: the write lock already does) and reads it; 0 without a row.
   */
  protected abstract lockNoticeCredits(q: SqlScope<Native>, userId: string, templateId: string): Promise<number>;
  /** Inserts the media record unless its (uploaderId, clientMediaId) is stored; true when it inserted. */
  protected abstract insertMediaOnce(q: SqlScope<Native>, record: MediaRecord): Promise<boolean>;

  // Profiles, media records and invites (protocol 1.1).

  updateProfile(userId: string, patch: ProfilePatch): Promise<UserRecord | null> {
    return this.write((q) => updateProfileRow(q, userId, patch));
  }

  getUsers(ids: readonly string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.read((q) => selectUsers(q, ids));
  }

  /** A repeat (even a concurrent one) answers the record stored first. */
  createMedia(record: MediaRecord): Promise<{ media: MediaRecord; created: boolean }> {
    return this.write(async (q) => {
      if (await this.insertMediaOnce(q, record)) return { media: record, created: true };
      return { media: await selectMediaByClientId(q, record), created: false };
    });
  }

  findMedia(id: string): Promise<MediaRecord | null> {
    return this.read((q) => selectMedia(q, id));
  }

  mediaSharedWith(mediaId: string, userId: string): Promise<boolean> {
    return this.read((q) => selectMediaSharedWith(q, mediaId, userId));
  }

  unreferencedMedia(createdBefore: number, limit: number): Promise<MediaRecord[]> {
    return this.read((q) => selectUnreferencedMedia(q, createdBefore, limit));
  }

  deleteUnreferencedMedia(id: string): Promise<boolean> {
    return this.write((q) => deleteUnreferencedMediaRow(q, id));
  }

  async createInvite(invite: InviteRecord): Promise<InviteRecord> {
    await this.write((q) => insertInvite(q, invite));
    return invite;
  }

  findInvite(code: string): Promise<InviteRecord | null> {
    return this.read((q) => selectInvite(q, code));
  }

  revokeInvite(code: string, now: number): Promise<boolean> {
    return this.write((q) => markInviteRevoked(q, code, now));
  }

  /** A repeat (even a concurrent one) answers the block stored first. */
  addBlock(block: BlockRecord): Promise<{ block: BlockRecord; created: boolean }> {
    return this.write(async (q) => {
      if (await this.insertBlockOnce(q, block)) return { block, created: true };
      const first = await selectBlock(q, block.blockerId, block.blockedId);
      if (!first) throw new Error("block row vanished after a conflicting insert");
      return { block: first, created: false };
    });
  }

  removeBlock(blockerId: string, blockedId: string): Promise<boolean> {
    return this.write((q) => deleteBlock(q, blockerId, blockedId));
  }

  listBlocks(blockerId: string): Promise<BlockRecord[]> {
    return this.read((q) => selectBlocks(q, blockerId));
  }

  /** Asked on every direct send: the lookups of one event-loop turn share one query (BlockLookups). */
  blockersAmong(blockedId: string, candidates: readonly string[]): Promise<string[]> {
    if (candidates.length === 0) return Promise.resolve([]);
    this.blockLookups ??= new BlockLookups((task) => this.read(task));
    return this.blockLookups.blockersAmong(blockedId, candidates);
  }

  async createReport(report: ReportRecord): Promise<ReportRecord> {
    await this.write((q) => insertReport(q, report));
    return report;
  }

  listReports(query: { status?: ReportStatus; limit: number }): Promise<ReportRecord[]> {
    return this.read((q) => selectReports(q, query));
  }

  resolveReport(id: string, resolution: { resolvedAt: number; note?: string }): Promise<ReportRecord | null> {
    return this.transaction((q) => markReportResolved(q, id, resolution));
  }

  // Bans and the audit log (admin API).

  putBan(ban: BanRecord): Promise<void> {
    return this.transaction((q) => replaceBan(q, ban));
  }

  getBan(userId: string): Promise<BanRecord | null> {
    return this.read((q) => selectBan(q, userId));
  }

  deleteBan(userId: string): Promise<boolean> {
    return this.transaction(async (q) => {
      if (!(await selectBan(q, userId))) return false;
      await removeBan(q, userId);
      return true;
    });
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return this.write((q) => insertAudit(q, entry));
  }

  listAudit(limit: number, leaveOut: readonly string[] = []): Promise<AuditEntry[]> {
    return this.read((q) => selectAudit(q, limit, leaveOut));
  }

  addNoticeCredits(userId: string, templateId: string, accepted: number): Promise<number> {
    return this.write(async (q) => {
      const row = { userId, templateId, credits: Math.min(accepted, MAX_NOTICE_CREDITS) };
      if (!(await this.insertNoticeCreditsOnce(q, row))) await increaseCredits(q, userId, templateId, accepted);
      return selectCreditsOf(q, userId, templateId);
    });
  }

  listNoticeCredits(userId: string): Promise<NoticeSubscription[]> {
    return this.read((q) => selectNoticeCredits(q, userId));
  }

  noticeCandidates(conversationId: string, templateId: string, userIds: readonly string[]): Promise<NoticeCandidate[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.read((q) => selectNoticeCandidates(q, conversationId, templateId, userIds));
  }

  claimNotice(claim: { userId: string; conversationId: string; templateId: string; at: number }): Promise<boolean> {
    const { userId, conversationId, templateId, at } = claim;
    return this.transaction(async (q) => {
      // The credits row lock serializes every claim of this user: the mark check below cannot race.
      const credits = await this.lockNoticeCredits(q, userId, templateId);
      if (credits < 1 || (await selectHasMark(q, userId, conversationId))) return false;
      await insertMark(q, userId, conversationId, at);
      await setCredits(q, userId, templateId, credits - 1);
      return true;
    });
  }

  releaseNotice(claim: { userId: string; conversationId: string; templateId: string }): Promise<void> {
    const { userId, conversationId, templateId } = claim;
    return this.transaction(async (q) => {
      const credits = await this.lockNoticeCredits(q, userId, templateId);
      if (!(await selectHasMark(q, userId, conversationId))) return;
      await deleteMark(q, userId, conversationId);
      await setCredits(q, userId, templateId, Math.min(credits + 1, MAX_NOTICE_CREDITS));
    });
  }

  zeroNoticeCredits(userId: string, templateId: string): Promise<void> {
    return this.write((q) => setCredits(q, userId, templateId, 0));
  }

  clearNoticeMarks(userId: string): Promise<void> {
    return this.write((q) => deleteMarksOf(q, userId));
  }

  recordMediaCheck(check: MediaCheckRecord): Promise<void> {
    return this.write((q) => insertMediaCheckOnce(q, check));
  }

  findMediaCheck(traceId: string): Promise<MediaCheckRecord | null> {
    return this.read((q) => selectMediaCheck(q, traceId));
  }

  deleteMediaCheck(traceId: string): Promise<boolean> {
    return this.write((q) => deleteMediaCheckRow(q, traceId));
  }

  messagesShowingMedia(senderId: string, mediaId: string): Promise<Message[]> {
    return this.read((q) => selectMessagesShowingMedia(q, senderId, mediaId));
  }
}
