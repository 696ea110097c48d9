import { Limits, type Message } from "@mpchat/protocol";
import type { AuditEntry, BanRecord } from "../admin-records";
import { uniqueInOrder } from "../conversation-record";
import { GroupFullError } from "../errors";
import type { MediaCheckRecord } from "../media-check-records";
import { MAX_NOTICE_CREDITS, type NoticeCandidate, type NoticeSubscription } from "../notice-records";
import type { InviteRecord, MediaRecord, ProfilePatch } from "../profile-records";
import type { BlockRecord, ReportRecord, ReportStatus } from "../safety-records";
import type {
  AppendInput,
  AppendResult,
  ConversationMembers,
  ConversationRecord,
  ConversationView,
  GroupChange,
  GroupChangeResult,
  Page,
  PageQuery,
  SessionRecord,
  SettingsPatch,
  Store,
  UserRecord,
} from "../store";
import { insertAudit, removeBan, replaceBan, selectAudit, selectBan } from "./admin-queries";
import { BlockLookups } from "./block-lookups";
import { loadConversationMembers, loadRecord, loadViews } from "./conversation-reads";
import { addMembersLocked, insertGroup, touchConversation } from "./conversation-writes";
import { appendSystemMessages, applyMutation } from "./group-writes";
import {
  deleteMediaCheckRow,
  insertMediaCheckOnce,
  selectMediaCheck,
  selectMessagesShowingMedia,
} from "./media-check-queries";
import {
  advanceReadSeq,
  selectByClientMsgId,
  selectIsMember,
  selectMessage,
  selectPage,
  selectRecallOf,
  updateMemberSettings,
} from "./message-queries";
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
  selectUser,
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
import type { SqlScope } from "./sql-db";
import { insertSession, markSessionEnded, selectContacts, selectExistingUserIds, selectSession } from "./user-queries";

/**
 * The Store port over SQL, written once for both dialects. A dialect's store
 * extends it with how statements run there (connections, the write lock,
 * transactions, row locks) and with what only it can write (the group-commit
 * appender, upserts, the direct conversation race, deletes that say what they
 * removed). `Native` is that dialect's own drizzle type of one connection.
 */
export abstract class SqlStore<Native> implements Store {
  private blockLookups: BlockLookups | undefined;
  /** Runs a read on some connection. */
  protected abstract read<T>(task: (q: SqlScope<Native>) => Promise<T>): Promise<T>;
  /** Runs statements that write, outside a transaction (SQLite: under the write lock). */
  protected abstract write<T>(task: (q: SqlScope<Native>) => Promise<T>): Promise<T>;
  /** Runs `task` in one transaction (SQLite: under the write lock). */
  protected abstract transaction<T>(task: (q: SqlScope<Native>) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: locks the conversation against concurrent membership
   * changes until commit (MySQL: its row, FOR UPDATE; SQLite: the write lock
   * already does). False when it does not exist.
   */
  protected abstract lockConversation(q: SqlScope<Native>, conversationId: string): Promise<boolean>;
  /** Deletes one membership; true when there was one. */
  protected abstract deleteMember(q: SqlScope<Native>, conversationId: string, userId: string): Promise<boolean>;
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

  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;
  abstract upsertUser(user: UserRecord): Promise<UserRecord>;
  abstract getOrCreateDirect(input: { id: string; a: string; b: string; now: number }): Promise<{
    conversation: ConversationRecord;
    created: boolean;
  }>;
  abstract appendMessages(batch: readonly AppendInput[]): Promise<AppendResult[]>;

  getUser(id: string): Promise<UserRecord | null> {
    return this.read((q) => selectUser(q, id));
  }

  existingUserIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.read((q) => selectExistingUserIds(q, ids));
  }

  createSession(session: { id: string; userId: string; createdAt: number }): Promise<void> {
    return this.write((q) => insertSession(q, session));
  }

  getSession(id: string): Promise<SessionRecord | null> {
    return this.read((q) => selectSession(q, id));
  }

  endSession(id: string, endedAt: number): Promise<SessionRecord | null> {
    return this.write((q) => markSessionEnded(q, id, endedAt));
  }

  createGroup(input: { id: string; title: string; memberIds: string[]; now: number }): Promise<ConversationRecord> {
    if (uniqueInOrder(input.memberIds).length > Limits.MAX_GROUP_MEMBERS) {
      return Promise.reject(new GroupFullError(Limits.MAX_GROUP_MEMBERS));
    }
    return this.transaction((q) => insertGroup(q, input));
  }

  addMembers(conversationId: string, userIds: readonly string[], now: number): Promise<ConversationRecord | null> {
    return this.transaction(async (q) => {
      if (!(await this.lockConversation(q, conversationId))) return null;
      return addMembersLocked(q, conversationId, userIds, now);
    });
  }

  removeMember(conversationId: string, userId: string, now: number): Promise<ConversationRecord | null> {
    return this.transaction(async (q) => {
      if (!(await this.lockConversation(q, conversationId))) return null;
      if (await this.deleteMember(q, conversationId, userId)) await touchConversation(q, conversationId, now);
      return loadRecord(q, conversationId);
    });
  }

  changeGroup(
    conversationId: string,
    decide: (current: ConversationRecord) => GroupChange,
    now: number,
  ): Promise<GroupChangeResult | null> {
    return this.transaction(async (q) => {
      if (!(await this.lockConversation(q, conversationId))) return null;
      const before = await loadRecord(q, conversationId);
      if (!before) return null;
      // Refusals throw here, before anything is written: the transaction stores nothing.
      const change = decide(before);
      const remove = async (userId: string) => {
        await this.deleteMember(q, conversationId, userId);
      };
      for (const mutation of change.mutations) await applyMutation(q, conversationId, mutation, now, remove);
      const messages = await appendSystemMessages(q, before, change.messages, now);
      const after = await loadRecord(q, conversationId);
      if (!after) throw new Error("conversation vanished inside its transaction");
      return { before, after, messages };
    });
  }

  getConversation(id: string): Promise<ConversationRecord | null> {
    return this.read((q) => loadRecord(q, id));
  }

  getConversationMembers(conversationId: string): Promise<ConversationMembers | null> {
    return this.read((q) => loadConversationMembers(q, conversationId));
  }

  isMember(conversationId: string, userId: string): Promise<boolean> {
    return this.read((q) => selectIsMember(q, conversationId, userId));
  }

  listConversations(userId: string): Promise<ConversationView[]> {
    return this.read((q) => loadViews(q, userId));
  }

  async getConversationView(conversationId: string, userId: string): Promise<ConversationView | null> {
    const [view] = await this.read((q) => loadViews(q, userId, conversationId));
    return view ?? null;
  }

  contactsOf(userId: string): Promise<string[]> {
    return this.read((q) => selectContacts(q, userId));
  }

  findMessage(id: string): Promise<Message | null> {
    return this.read((q) => selectMessage(q, id));
  }

  findRecallOf(messageId: string): Promise<Message | null> {
    return this.read((q) => selectRecallOf(q, messageId));
  }

  async updateSettings(conversationId: string, userId: string, patch: SettingsPatch): Promise<ConversationView | null> {
    const member = await this.write((q) => updateMemberSettings(q, conversationId, userId, patch));
    return member ? this.getConversationView(conversationId, userId) : null;
  }

  findByClientMsgId(senderId: string, clientMsgId: string): Promise<Message | null> {
    return this.read((q) => selectByClientMsgId(q, senderId, clientMsgId));
  }

  listMessages(conversationId: string, query: PageQuery): Promise<Page> {
    return this.read((q) => selectPage(q, conversationId, query));
  }

  markRead(conversationId: string, userId: string, seq: number): Promise<number> {
    return this.write((q) => advanceReadSeq(q, conversationId, userId, seq));
  }

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

  listAudit(limit: number): Promise<AuditEntry[]> {
    return this.read((q) => selectAudit(q, limit));
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
