import type { Client } from "@libsql/client";
import { Limits, type Message } from "@mpchat/protocol";
import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { alias } from "drizzle-orm/sqlite-core";
import { toConversationRecord, uniqueInOrder } from "../conversation-record";
import { GroupFullError } from "../errors";
import { directKeyOf, toMessage } from "../message-row";
import { withOptimisticDedupe } from "../optimistic-dedupe";
import type { InviteRecord, MediaRecord, ProfilePatch } from "../profile-records";
import { toUserRow } from "../profile-rows";
import type {
  AppendInput,
  AppendResult,
  ConversationMembers,
  ConversationRecord,
  ConversationView,
  Page,
  PageQuery,
  SessionRecord,
  Store,
  UserRecord,
} from "../store";
import { WriteLock } from "../write-lock";
import { conversations, members, messages, users } from "./schema";
import type { SqliteAppender } from "./sqlite-appender";
import { asUnavailable, isSqliteUniqueViolation } from "./sqlite-errors";
import { SqliteProfiles } from "./sqlite-profiles";
import { insertMembers, loadConversationMembers, loadRecord, loadViews } from "./sqlite-queries";
import { insertSession, markSessionEnded, selectSession } from "./sqlite-sessions";

/** The embedded store: one SQLite file through libsql, writes serialized in-process. */
export class SqliteStore implements Store {
  private readonly lock = new WriteLock();
  private readonly profiles: SqliteProfiles;

  constructor(
    private readonly db: LibSQLDatabase,
    private readonly client: Client,
    private readonly appender: SqliteAppender,
  ) {
    this.profiles = new SqliteProfiles(db, (task) => this.write(task));
  }

  /** Every write takes the lock; a database locked past the busy timeout is "unavailable". */
  private write<T>(task: () => Promise<T>): Promise<T> {
    return this.lock.run(task).catch((error: unknown) => {
      throw asUnavailable(error);
    });
  }

  async ping(): Promise<void> {
    await this.db.run(sql`select 1`);
  }

  async close(): Promise<void> {
    // Let queued writes finish: nothing acked may be lost at shutdown.
    await this.write(async () => {
      this.appender.close();
      this.client.close();
    });
  }

  upsertUser(user: UserRecord): Promise<UserRecord> {
    return this.write(async () => {
      const [row] = await this.db
        .insert(users)
        .values({ id: user.id, name: user.name, createdAt: Date.now() })
        .onConflictDoUpdate({ target: users.id, set: { name: user.name } })
        .returning({ id: users.id, name: users.name, avatarMediaId: users.avatarMediaId });
      return row ? toUserRow(row) : user;
    });
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const [row] = await this.db
      .select({ id: users.id, name: users.name, avatarMediaId: users.avatarMediaId })
      .from(users)
      .where(eq(users.id, id));
    return row ? toUserRow(row) : null;
  }

  async existingUserIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(inArray(users.id, [...ids]));
    return rows.map((r) => r.id);
  }

  createSession(session: { id: string; userId: string; createdAt: number }): Promise<void> {
    return this.write(() => insertSession(this.db, session));
  }

  getSession(id: string): Promise<SessionRecord | null> {
    return selectSession(this.db, id);
  }

  endSession(id: string, endedAt: number): Promise<SessionRecord | null> {
    return this.write(() => markSessionEnded(this.db, id, endedAt));
  }

  getOrCreateDirect(input: { id: string; a: string; b: string; now: number }) {
    const directKey = directKeyOf(input.a, input.b);
    return this.write(() =>
      this.db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(eq(conversations.directKey, directKey));
        if (existing) {
          const conversation = await loadRecord(tx, existing.id);
          if (conversation) return { conversation, created: false };
        }
        await tx.insert(conversations).values({
          id: input.id,
          kind: "direct",
          title: "",
          directKey,
          createdAt: input.now,
          updatedAt: input.now,
        });
        await insertMembers(tx, input.id, uniqueInOrder([input.a, input.b]), 0, input.now);
        const conversation = await loadRecord(tx, input.id);
        if (!conversation) throw new Error("direct conversation vanished inside its transaction");
        return { conversation, created: true };
      }),
    );
  }

  createGroup(input: { id: string; title: string; memberIds: string[]; now: number }): Promise<ConversationRecord> {
    if (uniqueInOrder(input.memberIds).length > Limits.MAX_GROUP_MEMBERS) {
      return Promise.reject(new GroupFullError(Limits.MAX_GROUP_MEMBERS));
    }
    return this.write(() =>
      this.db.transaction(async (tx) => {
        await tx.insert(conversations).values({
          id: input.id,
          kind: "group",
          title: input.title,
          directKey: null,
          createdAt: input.now,
          updatedAt: input.now,
        });
        const memberIds = uniqueInOrder(input.memberIds);
        await insertMembers(tx, input.id, memberIds, 0, input.now);
        return toConversationRecord(
          { ...input, kind: "group", lastSeq: 0, createdAt: input.now, updatedAt: input.now },
          memberIds,
        );
      }),
    );
  }

  addMembers(conversationId: string, userIds: readonly string[], now: number): Promise<ConversationRecord | null> {
    return this.write(() =>
      this.db.transaction(async (tx) => {
        const before = await loadRecord(tx, conversationId);
        if (!before) return null;
        const fresh = uniqueInOrder(userIds).filter((id) => !before.memberIds.includes(id));
        if (fresh.length === 0) return before;
        // Inside the write transaction: a concurrent addition waits for this one and counts its members.
        if (before.memberIds.length + fresh.length > Limits.MAX_GROUP_MEMBERS) {
          throw new GroupFullError(Limits.MAX_GROUP_MEMBERS);
        }
        const [top] = await tx
          .select({ position: sql<number>`coalesce(max(${members.position}), -1)` })
          .from(members)
          .where(eq(members.conversationId, conversationId));
        await insertMembers(tx, conversationId, fresh, Number(top?.position ?? -1) + 1, now);
        await tx
          .update(conversations)
          .set({ updatedAt: sql`max(${conversations.updatedAt}, ${now})` })
          .where(eq(conversations.id, conversationId));
        return loadRecord(tx, conversationId);
      }),
    );
  }

  removeMember(conversationId: string, userId: string, now: number): Promise<ConversationRecord | null> {
    return this.write(() =>
      this.db.transaction(async (tx) => {
        const removed = await tx
          .delete(members)
          .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)))
          .returning({ userId: members.userId });
        if (removed.length > 0) {
          await tx
            .update(conversations)
            .set({ updatedAt: sql`max(${conversations.updatedAt}, ${now})` })
            .where(eq(conversations.id, conversationId));
        }
        return loadRecord(tx, conversationId);
      }),
    );
  }

  getConversation(id: string): Promise<ConversationRecord | null> {
    return loadRecord(this.db, id);
  }

  getConversationMembers(conversationId: string): Promise<ConversationMembers | null> {
    return loadConversationMembers(this.db, conversationId);
  }

  async isMember(conversationId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(members)
      .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
    return row !== undefined;
  }

  listConversations(userId: string): Promise<ConversationView[]> {
    return loadViews(this.db, userId);
  }

  async getConversationView(conversationId: string, userId: string): Promise<ConversationView | null> {
    const [view] = await loadViews(this.db, userId, conversationId);
    return view ?? null;
  }

  async contactsOf(userId: string): Promise<string[]> {
    const mine = alias(members, "mine");
    const rows = await this.db
      .selectDistinct({ userId: members.userId })
      .from(mine)
      .innerJoin(members, eq(members.conversationId, mine.conversationId))
      .where(and(eq(mine.userId, userId), ne(members.userId, userId)));
    return rows.map((r) => r.userId);
  }

  appendMessages(batch: readonly AppendInput[]): Promise<AppendResult[]> {
    if (batch.length === 0) return Promise.resolve([]);
    return this.write(() =>
      withOptimisticDedupe(async (checkStored) => this.appender.append(batch, checkStored), isSqliteUniqueViolation),
    );
  }

  async findByClientMsgId(senderId: string, clientMsgId: string): Promise<Message | null> {
    const [row] = await this.db
      .select()
      .from(messages)
      .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)));
    return row ? toMessage(row) : null;
  }

  async listMessages(conversationId: string, query: PageQuery): Promise<Page> {
    const inConversation = eq(messages.conversationId, conversationId);
    const descending = query.beforeSeq !== undefined && query.afterSeq === undefined;
    const bounds = [
      inConversation,
      query.afterSeq !== undefined || !descending ? gt(messages.seq, query.afterSeq ?? 0) : undefined,
      query.beforeSeq !== undefined ? lt(messages.seq, query.beforeSeq) : undefined,
    ];
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(...bounds))
      .orderBy(descending ? desc(messages.seq) : asc(messages.seq))
      .limit(query.limit + 1);
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit).map(toMessage);
    if (descending) page.reverse();
    return { messages: page, hasMore };
  }

  markRead(conversationId: string, userId: string, seq: number): Promise<number> {
    return this.write(async () => {
      const lastSeq = sql`(select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId})`;
      const [row] = await this.db
        .update(members)
        .set({ readSeq: sql`max(${members.readSeq}, min(${seq}, ${lastSeq}))` })
        .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)))
        .returning({ readSeq: members.readSeq });
      return row?.readSeq ?? 0;
    });
  }

  // Profiles, media records and invites (protocol 1.1): see sqlite-profiles.ts.
  updateProfile(userId: string, patch: ProfilePatch): Promise<UserRecord | null> {
    return this.profiles.updateProfile(userId, patch);
  }
  getUsers(ids: readonly string[]): Promise<UserRecord[]> {
    return this.profiles.getUsers(ids);
  }
  createMedia(record: MediaRecord): Promise<{ media: MediaRecord; created: boolean }> {
    return this.profiles.createMedia(record);
  }
  findMedia(id: string): Promise<MediaRecord | null> {
    return this.profiles.findMedia(id);
  }
  unreferencedMedia(createdBefore: number, limit: number): Promise<MediaRecord[]> {
    return this.profiles.unreferencedMedia(createdBefore, limit);
  }
  deleteUnreferencedMedia(id: string): Promise<boolean> {
    return this.profiles.deleteUnreferencedMedia(id);
  }
  createInvite(invite: InviteRecord): Promise<InviteRecord> {
    return this.profiles.createInvite(invite);
  }
  findInvite(code: string): Promise<InviteRecord | null> {
    return this.profiles.findInvite(code);
  }
  revokeInvite(code: string, now: number): Promise<boolean> {
    return this.profiles.revokeInvite(code, now);
  }
}
