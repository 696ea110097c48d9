import { and, asc, eq, inArray, isNull, lt, notExists } from "drizzle-orm";
import type { InviteRecord, MediaRecord, ProfilePatch, ProfileStore, UserRow } from "../profile-records";
import { toInviteDbRow, toInviteRecord, toMediaDbRow, toMediaRecord, toUserRow } from "../profile-rows";
import type { MysqlConnections } from "./mysql-connections";
import { isDuplicateKey } from "./mysql-errors";
import { invites, media, users } from "./schema";

const userColumns = { id: users.id, name: users.name, avatarMediaId: users.avatarMediaId };

/** Profiles, media records and invites in MySQL / MariaDB. */
export class MysqlProfiles implements ProfileStore {
  constructor(private readonly connections: MysqlConnections) {}

  updateProfile(userId: string, patch: ProfilePatch): Promise<UserRow | null> {
    const set: { name?: string; avatarMediaId?: string | null } = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.avatarMediaId !== undefined) set.avatarMediaId = patch.avatarMediaId;
    return this.connections.use(async (db) => {
      if (Object.keys(set).length > 0) await db.update(users).set(set).where(eq(users.id, userId));
      const [row] = await db.select(userColumns).from(users).where(eq(users.id, userId));
      return row ? toUserRow(row) : null;
    });
  }

  async getUsers(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.connections.use((db) =>
      db
        .select(userColumns)
        .from(users)
        .where(inArray(users.id, [...ids])),
    );
    return rows.map(toUserRow);
  }

  async createMedia(record: MediaRecord): Promise<{ media: MediaRecord; created: boolean }> {
    try {
      await this.connections.use((db) => db.insert(media).values(toMediaDbRow(record)));
      return { media: record, created: true };
    } catch (error) {
      // The unique (uploader_id, client_media_id): a repeat, maybe concurrent; the first row answers.
      if (!isDuplicateKey(error)) throw error;
    }
    const [row] = await this.connections.use((db) =>
      db
        .select()
        .from(media)
        .where(and(eq(media.uploaderId, record.uploaderId), eq(media.clientMediaId, record.clientMediaId))),
    );
    if (!row) throw new Error("media row vanished after a conflicting insert");
    return { media: toMediaRecord(row), created: false };
  }

  findMedia(id: string): Promise<MediaRecord | null> {
    return this.connections.use(async (db) => {
      const [row] = await db.select().from(media).where(eq(media.id, id));
      return row ? toMediaRecord(row) : null;
    });
  }

  unreferencedMedia(createdBefore: number, limit: number): Promise<MediaRecord[]> {
    return this.connections.use(async (db) => {
      const avatars = db.select({ id: users.id }).from(users).where(eq(users.avatarMediaId, media.id));
      const rows = await db
        .select()
        .from(media)
        .where(and(lt(media.createdAt, createdBefore), notExists(avatars)))
        .orderBy(asc(media.createdAt))
        .limit(limit);
      return rows.map(toMediaRecord);
    });
  }

  deleteUnreferencedMedia(id: string): Promise<boolean> {
    return this.connections.use(async (db) => {
      const avatars = db.select({ id: users.id }).from(users).where(eq(users.avatarMediaId, media.id));
      const [result] = await db.delete(media).where(and(eq(media.id, id), notExists(avatars)));
      return result.affectedRows > 0;
    });
  }

  async createInvite(invite: InviteRecord): Promise<InviteRecord> {
    await this.connections.use((db) => db.insert(invites).values(toInviteDbRow(invite)));
    return invite;
  }

  findInvite(code: string): Promise<InviteRecord | null> {
    return this.connections.use(async (db) => {
      const [row] = await db.select().from(invites).where(eq(invites.code, code));
      return row ? toInviteRecord(row) : null;
    });
  }

  revokeInvite(code: string, now: number): Promise<boolean> {
    return this.connections.use(async (db) => {
      await db
        .update(invites)
        .set({ revokedAt: now })
        .where(and(eq(invites.code, code), isNull(invites.revokedAt)));
      const [row] = await db.select({ code: invites.code }).from(invites).where(eq(invites.code, code));
      return row !== undefined;
    });
  }
}
