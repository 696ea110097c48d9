import { Limits, type Message } from "@mpchat/protocol";
import { and, asc, desc, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
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
import { appendInTransaction } from "./mysql-append";
import type { MysqlConnections } from "./mysql-connections";
import { isDuplicateKey, isRetryableConflict } from "./mysql-errors";
import { MysqlProfiles } from "./mysql-profiles";
import { insertMembers, loadConversationMembers, loadRecord, loadViews, memberIdsOf } from "./mysql-queries";
import { insertSession, markSessionEnded, selectSession } from "./mysql-sessions";
import { conversations, members, messages, users } from "./schema";

/** How often a batch is re-run after a deadlock or a duplicate another process committed first. */
const CONFLICT_ATTEMPTS = 5;

/** The production store: MySQL / MariaDB through a mysql2 pool; safe for several server processes. */
export class MysqlStore implements Store {
  private readonly profiles: MysqlProfiles;
  /**
   * Two group-commit transactions in flight (for disjoint conversations): one
   * batch's round trips and commit overlap the next one's work in Node and in
   * MariaDB. Set by the opener from the pool size (connections stay for reads).
   */
  constructor(
    private readonly connections: MysqlConnections,
    readonly parallelAppends = 1,
  ) {
    this.profiles = new MysqlProfiles(connections);
  }

  async ping(): Promise<void> {
    await this.connections.use((db) => db.execute(sql`select 1`));
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  async upsertUser(user: UserRecord): Promise<UserRecord> {
    await this.connections.use((db) =>
      db
        .insert(users)
        .values({ id: user.id, name: user.name, createdAt: Date.now() })
        .onDuplicateKeyUpdate({ set: { name: user.name } }),
    );
    return (await this.getUser(user.id)) ?? { id: user.id, name: user.name };
  }

  getUser(id: string): Promise<UserRecord | null> {
    return this.connections.use(async (db) => {
      const [row] = await db
        .select({ id: users.id, name: users.name, avatarMediaId: users.avatarMediaId })
        .from(users)
        .where(eq(users.id, id));
      return row ? toUserRow(row) : null;
    });
  }

  async existingUserIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.connections.use((db) =>
      db
        .select({ id: users.id })
        .from(users)
        .where(inArray(users.id, [...ids])),
    );
    return rows.map((r) => r.id);
  }

  createSession(session: { id: string; userId: string; createdAt: number }): Promise<void> {
    return insertSession(this.connections, session);
  }

  getSession(id: string): Promise<SessionRecord | null> {
    return selectSession(this.connections, id);
  }

  endSession(id: string, endedAt: number): Promise<SessionRecord | null> {
    return markSessionEnded(this.connections, id, endedAt);
  }

  async getOrCreateDirect(input: { id: string; a: string; b: string; now: number }) {
    const directKey = directKeyOf(input.a, input.b);
    const existing = await this.findDirect(directKey);
    if (existing) return { conversation: existing, created: false };
    try {
      const conversation = await this.connections.transaction(async (tx) => {
        await tx.insert(conversations).values({
          id: input.id,
          kind: "direct",
          title: "",
          directKey,
          createdAt: input.now,
          updatedAt: input.now,
        });
        await insertMembers(tx, input.id, uniqueInOrder([input.a, input.b]), 0, input.now);
        return loadRecord(tx, input.id);
      });
      if (!conversation) throw new Error("direct conversation vanished inside its transaction");
      return { conversation, created: true };
    } catch (error) {
      // Another request created the pair first (the unique direct_key made us wait for its commit).
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.findDirect(directKey);
      if (!winner) throw error;
      return { conversation: winner, created: false };
    }
  }

  createGroup(input: { id: string; title: string; memberIds: string[]; now: number }): Promise<ConversationRecord> {
    const memberIds = uniqueInOrder(input.memberIds);
    if (memberIds.length > Limits.MAX_GROUP_MEMBERS)
      return Promise.reject(new GroupFullError(Limits.MAX_GROUP_MEMBERS));
    return this.connections.transaction(async (tx) => {
      await tx.insert(conversations).values({
        id: input.id,
        kind: "group",
        title: input.title,
        directKey: null,
        createdAt: input.now,
        updatedAt: input.now,
      });
      await insertMembers(tx, input.id, memberIds, 0, input.now);
      return toConversationRecord(
        { ...input, kind: "group", lastSeq: 0, createdAt: input.now, updatedAt: input.now },
        memberIds,
      );
    });
  }

  addMembers(conversationId: string, userIds: readonly string[], now: number): Promise<ConversationRecord | null> {
    return this.connections.transaction(async (tx) => {
      // The row lock orders concurrent additions to one conversation (positions stay distinct), and
      // each one counts (read committed) the members of every addition that committed before it.
      const [locked] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.id, conversationId))
        .for("update");
      if (!locked) return null;
      const current = await tx
        .select({ userId: members.userId, position: members.position })
        .from(members)
        .where(eq(members.conversationId, conversationId));
      const present = new Set(current.map((m) => m.userId));
      const fresh = uniqueInOrder(userIds).filter((id) => !present.has(id));
      if (fresh.length > 0) {
        const limit = Limits.MAX_GROUP_MEMBERS;
        if (current.length + fresh.length > limit) throw new GroupFullError(limit);
        const next = Math.max(-1, ...current.map((m) => m.position)) + 1;
        await insertMembers(tx, conversationId, fresh, next, now);
        await tx
          .update(conversations)
          .set({ updatedAt: sql`greatest(${conversations.updatedAt}, ${now})` })
          .where(eq(conversations.id, conversationId));
      }
      return loadRecord(tx, conversationId);
    });
  }

  removeMember(conversationId: string, userId: string, now: number): Promise<ConversationRecord | null> {
    return this.connections.transaction(async (tx) => {
      const [locked] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.id, conversationId))
        .for("update");
      if (!locked) return null;
      const [result] = await tx
        .delete(members)
        .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
      if (result.affectedRows > 0) {
        await tx
          .update(conversations)
          .set({ updatedAt: sql`greatest(${conversations.updatedAt}, ${now})` })
          .where(eq(conversations.id, conversationId));
      }
      return loadRecord(tx, conversationId);
    });
  }

  getConversation(id: string): Promise<ConversationRecord | null> {
    return this.connections.use((db) => loadRecord(db, id));
  }

  getConversationMembers(conversationId: string): Promise<ConversationMembers | null> {
    return this.connections.use((db) => loadConversationMembers(db, conversationId));
  }

  isMember(conversationId: string, userId: string): Promise<boolean> {
    return this.connections.use(async (db) => {
      const [row] = await db
        .select({ one: sql<number>`1` })
        .from(members)
        .where(and(eq(members.conversationId, conversationId), eq(members.userId, userId)));
      return row !== undefined;
    });
  }

  listConversations(userId: string): Promise<ConversationView[]> {
    return this.connections.use((db) => loadViews(db, userId));
  }

  async getConversationView(conversationId: string, userId: string): Promise<ConversationView | null> {
    const [view] = await this.connections.use((db) => loadViews(db, userId, conversationId));
    return view ?? null;
  }

  async contactsOf(userId: string): Promise<string[]> {
    const mine = alias(members, "mine");
    const rows = await this.connections.use((db) =>
      db
        .selectDistinct({ userId: members.userId })
        .from(mine)
        .innerJoin(members, eq(members.conversationId, mine.conversationId))
        .where(and(eq(mine.userId, userId), ne(members.userId, userId))),
    );
    return rows.map((r) => r.userId);
  }

  async appendMessages(batch: readonly AppendInput[]): Promise<AppendResult[]> {
    if (batch.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await withOptimisticDedupe(
          (checkStored) =>
            this.connections.transaction((tx, prepared) => appendInTransaction(tx, prepared, batch, checkStored)),
          isDuplicateKey,
        );
      } catch (error) {
        // A duplicate (sender, clientMsgId) committed by another process for another
        // conversation, or a deadlock: the next attempt sees the winner and dedupes.
        if (attempt >= CONFLICT_ATTEMPTS || !isRetryableConflict(error)) throw error;
      }
    }
  }

  findByClientMsgId(senderId: string, clientMsgId: string): Promise<Message | null> {
    return this.connections.use(async (db) => {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.senderId, senderId), eq(messages.clientMsgId, clientMsgId)));
      return row ? toMessage(row) : null;
    });
  }

  async listMessages(conversationId: string, query: PageQuery): Promise<Page> {
    const descending = query.beforeSeq !== undefined && query.afterSeq === undefined;
    const bounds = [
      eq(messages.conversationId, conversationId),
      query.afterSeq !== undefined || !descending ? gt(messages.seq, query.afterSeq ?? 0) : undefined,
      query.beforeSeq !== undefined ? lt(messages.seq, query.beforeSeq) : undefined,
    ];
    const rows = await this.connections.use((db) =>
      db
        .select()
        .from(messages)
        .where(and(...bounds))
        .orderBy(descending ? desc(messages.seq) : asc(messages.seq))
        .limit(query.limit + 1),
    );
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit).map(toMessage);
    if (descending) page.reverse();
    return { messages: page, hasMore };
  }

  markRead(conversationId: string, userId: string, seq: number): Promise<number> {
    const member = and(eq(members.conversationId, conversationId), eq(members.userId, userId));
    return this.connections.use(async (db) => {
      const lastSeq = sql`(select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId})`;
      await db
        .update(members)
        .set({ readSeq: sql`greatest(${members.readSeq}, least(${seq}, ${lastSeq}))` })
        .where(member);
      const [row] = await db.select({ readSeq: members.readSeq }).from(members).where(member);
      return Number(row?.readSeq ?? 0);
    });
  }

  private findDirect(directKey: string): Promise<ConversationRecord | null> {
    return this.connections.use(async (db) => {
      const [row] = await db.select().from(conversations).where(eq(conversations.directKey, directKey));
      if (!row) return null;
      const ids = await memberIdsOf(db, [row.id]);
      return toConversationRecord(row, ids.get(row.id) ?? []);
    });
  }

  // Profiles, media records and invites (protocol 1.1): see mysql-profiles.ts.
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
