import { Limits, type Message } from "@mpchat/protocol";
import { uniqueInOrder } from "../conversation-record";
import { GroupFullError } from "../errors";
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
  UserRecord,
} from "../store";
import { loadConversationMembers, loadRecord, loadViews } from "./conversation-reads";
import { addMembersLocked, insertGroup, touchConversation } from "./conversation-writes";
import { appendSystemMessages, applyMutation } from "./group-writes";
import {
  advanceReadSeq,
  selectByClientMsgId,
  selectIsMember,
  selectMessage,
  selectPage,
  selectRecallOf,
  updateMemberSettings,
} from "./message-queries";
import { selectUser } from "./profile-queries";
import type { SqlScope } from "./sql-db";
import { insertSession, markSessionEnded, selectContacts, selectExistingUserIds, selectSession } from "./user-queries";

/**
 * The first half of the Store port over SQL (see SqlStore, which completes it):
 * users, sessions, conversations, groups and messages, with the statements a
 * dialect must say how to run. `Native` is that dialect's own drizzle type of
 * one connection.
 */
export abstract class SqlCoreStore<Native> {
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
}
