import { and, asc, eq, inArray, isNull, lt, notExists } from "drizzle-orm";
import type { InviteRecord, MediaRecord, ProfilePatch, UserRow } from "../profile-records";
import { toInviteDbRow, toInviteRecord, toMediaRecord, toUserRow } from "../profile-rows";
import type { SqlScope, SqlTables } from "./sql-db";

/* Profiles, media records and invites (protocol 1.1) in both dialects. */

function userColumns({ users }: SqlTables) {
  return { id: users.id, name: users.name, avatarMediaId: users.avatarMediaId };
}

export async function selectUser(q: SqlScope, id: string): Promise<UserRow | null> {
  const { users } = q.t;
  const [row] = await q.db.select(userColumns(q.t)).from(users).where(eq(users.id, id));
  return row ? toUserRow(row) : null;
}

/** Callers skip the query for no ids. */
export async function selectUsers(q: SqlScope, ids: readonly string[]): Promise<UserRow[]> {
  const { users } = q.t;
  const rows = await q.db
    .select(userColumns(q.t))
    .from(users)
    .where(inArray(users.id, [...ids]));
  return rows.map(toUserRow);
}

/** Applies the patch (absent fields stay); the user after, null when there is no such user. */
export async function updateProfileRow(q: SqlScope, userId: string, patch: ProfilePatch): Promise<UserRow | null> {
  const set: { name?: string; avatarMediaId?: string | null } = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.avatarMediaId !== undefined) set.avatarMediaId = patch.avatarMediaId;
  const { users } = q.t;
  if (Object.keys(set).length > 0) await q.db.update(users).set(set).where(eq(users.id, userId));
  return selectUser(q, userId);
}

/** The media its uploader stored under `clientMediaId` (unique per uploader). */
export async function selectMediaByClientId(q: SqlScope, record: MediaRecord): Promise<MediaRecord> {
  const { media } = q.t;
  const [row] = await q.db
    .select()
    .from(media)
    .where(and(eq(media.uploaderId, record.uploaderId), eq(media.clientMediaId, record.clientMediaId)));
  if (!row) throw new Error("media row vanished after a conflicting insert");
  return toMediaRecord(row);
}

export async function selectMedia(q: SqlScope, id: string): Promise<MediaRecord | null> {
  const { media } = q.t;
  const [row] = await q.db.select().from(media).where(eq(media.id, id));
  return row ? toMediaRecord(row) : null;
}

/** The users whose avatar the outer query's media row is. */
function avatarsOfMediaRow(q: SqlScope) {
  const { users, media } = q.t;
  return q.db.select({ id: users.id }).from(users).where(eq(users.avatarMediaId, media.id));
}

/** The messages that show the outer query's media row (their `message_media` rows, found by media id). */
function messagesOfMediaRow(q: SqlScope) {
  const { messageMedia, media } = q.t;
  return q.db.select({ seq: messageMedia.seq }).from(messageMedia).where(eq(messageMedia.mediaId, media.id));
}

/** Whether `userId` is a member of a conversation in which a message shows the media. */
export async function selectMediaSharedWith(q: SqlScope, mediaId: string, userId: string): Promise<boolean> {
  const { messageMedia, members } = q.t;
  const [row] = await q.db
    .select({ seq: messageMedia.seq })
    .from(messageMedia)
    .innerJoin(members, and(eq(members.conversationId, messageMedia.conversationId), eq(members.userId, userId)))
    .where(eq(messageMedia.mediaId, mediaId))
    .limit(1);
  return row !== undefined;
}

/** Media created before `createdBefore` that no user has as avatar and no message names, oldest first. */
export async function selectUnreferencedMedia(
  q: SqlScope,
  createdBefore: number,
  limit: number,
): Promise<MediaRecord[]> {
  const { media } = q.t;
  const rows = await q.db
    .select()
    .from(media)
    .where(and(lt(media.createdAt, createdBefore), notExists(avatarsOfMediaRow(q)), notExists(messagesOfMediaRow(q))))
    .orderBy(asc(media.createdAt))
    .limit(limit);
  return rows.map(toMediaRecord);
}

/**
 * Deletes the media row unless a user has it as avatar or a message names it; true when it was there
 * unreferenced (the delete itself re-checks, so an avatar set meanwhile keeps it).
 */
export async function deleteUnreferencedMediaRow(q: SqlScope, id: string): Promise<boolean> {
  const { media } = q.t;
  const unreferenced = and(eq(media.id, id), notExists(avatarsOfMediaRow(q)), notExists(messagesOfMediaRow(q)));
  const [row] = await q.db.select({ id: media.id }).from(media).where(unreferenced);
  if (!row) return false;
  await q.db.delete(media).where(unreferenced);
  return true;
}

export async function insertInvite(q: SqlScope, invite: InviteRecord): Promise<void> {
  await q.db.insert(q.t.invites).values(toInviteDbRow(invite));
}

export async function selectInvite(q: SqlScope, code: string): Promise<InviteRecord | null> {
  const { invites } = q.t;
  const [row] = await q.db.select().from(invites).where(eq(invites.code, code));
  return row ? toInviteRecord(row) : null;
}

/** Marks the invite revoked at `now` unless it already was; false when there is no such code. */
export async function markInviteRevoked(q: SqlScope, code: string, now: number): Promise<boolean> {
  const { invites } = q.t;
  await q.db
    .update(invites)
    .set({ revokedAt: now })
    .where(and(eq(invites.code, code), isNull(invites.revokedAt)));
  const [row] = await q.db.select({ code: invites.code }).from(invites).where(eq(invites.code, code));
  return row !== undefined;
}
