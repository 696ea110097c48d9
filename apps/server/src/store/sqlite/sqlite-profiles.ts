import { and, asc, eq, inArray, isNull, lt, notExists } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { InviteRecord, MediaRecord, ProfilePatch, ProfileStore, UserRow } from "../profile-records";
import { toInviteDbRow, toInviteRecord, toMediaDbRow, toMediaRecord, toUserRow } from "../profile-rows";
import { invites, media, users } from "./schema";

const userColumns = { id: users.id, name: users.name, avatarMediaId: users.avatarMediaId };

/** Profiles, media records and invites in SQLite; writes go through the store's write lock. */
export class SqliteProfiles implements ProfileStore {
  constructor(
    private readonly db: LibSQLDatabase,
    private readonly write: <T>(task: () => Promise<T>) => Promise<T>,
  ) {}

  updateProfile(userId: string, patch: ProfilePatch): Promise<UserRow | null> {
    const set: { name?: string; avatarMediaId?: string | null } = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.avatarMediaId !== undefined) set.avatarMediaId = patch.avatarMediaId;
    return this.write(async () => {
      const [row] =
        Object.keys(set).length === 0
          ? await this.db.select(userColumns).from(users).where(eq(users.id, userId))
          : await this.db.update(users).set(set).where(eq(users.id, userId)).returning(userColumns);
      return row ? toUserRow(row) : null;
    });
  }

  async getUsers(ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select(userColumns)
      .from(users)
      .where(inArray(users.id, [...ids]));
    return rows.map(toUserRow);
  }

  createMedia(record: MediaRecord): Promise<{ media: MediaRecord; created: boolean }> {
    return this.write(async () => {
      // The unique (uploader_id, client_media_id) makes a repeat insert nothing; the first row answers.
      const inserted = await this.db
        .insert(media)
        .values(toMediaDbRow(record))
        .onConflictDoNothing({ target: [media.uploaderId, media.clientMediaId] })
        .returning({ id: media.id });
      if (inserted.length > 0) return { media: record, created: true };
      const [row] = await this.db
        .select()
        .from(media)
        .where(and(eq(media.uploaderId, record.uploaderId), eq(media.clientMediaId, record.clientMediaId)));
      if (!row) throw new Error("media row vanished after a conflicting insert");
      return { media: toMediaRecord(row), created: false };
    });
  }

  async findMedia(id: string): Promise<MediaRecord | null> {
    const [row] = await this.db.select().from(media).where(eq(media.id, id));
    return row ? toMediaRecord(row) : null;
  }

  async unreferencedMedia(createdBefore: number, limit: number): Promise<MediaRecord[]> {
    const rows = await this.db
      .select()
      .from(media)
      .where(and(lt(media.createdAt, createdBefore), notExists(this.avatarsOf())))
      .orderBy(asc(media.createdAt))
      .limit(limit);
    return rows.map(toMediaRecord);
  }

  deleteUnreferencedMedia(id: string): Promise<boolean> {
    return this.write(async () => {
      const deleted = await this.db
        .delete(media)
        .where(and(eq(media.id, id), notExists(this.avatarsOf())))
        .returning({ id: media.id });
      return deleted.length > 0;
    });
  }

  /** The users whose avatar the outer query's media row is. */
  private avatarsOf() {
    return this.db.select({ id: users.id }).from(users).where(eq(users.avatarMediaId, media.id));
  }

  createInvite(invite: InviteRecord): Promise<InviteRecord> {
    return this.write(async () => {
      await this.db.insert(invites).values(toInviteDbRow(invite));
      return invite;
    });
  }

  async findInvite(code: string): Promise<InviteRecord | null> {
    const [row] = await this.db.select().from(invites).where(eq(invites.code, code));
    return row ? toInviteRecord(row) : null;
  }

  revokeInvite(code: string, now: number): Promise<boolean> {
    return this.write(async () => {
      await this.db
        .update(invites)
        .set({ revokedAt: now })
        .where(and(eq(invites.code, code), isNull(invites.revokedAt)));
      const [row] = await this.db.select({ code: invites.code }).from(invites).where(eq(invites.code, code));
      return row !== undefined;
    });
  }
}
