import { and, asc, eq, inArray, isNull, lt, notExists, sql } from "drizzle-orm";
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

/**
 * The messages whose body names the outer query's media row. Until messages
 * record their media in a table of their own, this scans bodies (INSTR exists in
 * SQLite and MySQL alike): slow on a large history, but it only ever keeps media
 * longer than needed (an id inside some text also keeps it), never loses one a
 * message shows. It runs in the collector only, never on a request.
 */
function messagesOfMediaRow(q: SqlScope) {
  const { messages, media } = q.t;
  return q.db.select({ seq: messages.seq }).from(messages).where(sql`instr(${messages.body}, ${media.id}) > 0`);
}

/**
 * A message of one of the user's conversations whose body names the media. Bodies are JSON written
 * by the server (`"mediaId":"…"`, no spaces), so the needle matches a media body's field, not an id
 * quoted in some text. The scan is bounded by the member's conversations, and it runs only for a
 * reader who is not the uploader (whose own check comes first), once per image: the answer is
 * cached for a year (`immutable`).
 */
export async function selectMediaSharedWith(q: SqlScope, mediaId: string, userId: string): Promise<boolean> {
  const { messages, members } = q.t;
  const needle = JSON.stringify({ mediaId }).slice(1, -1);
  const [row] = await q.db
    .select({ seq: messages.seq })
    .from(members)
    .innerJoin(messages, eq(messages.conversationId, members.conversationId))
    .where(and(eq(members.userId, userId), sql`instr(${messages.body}, ${needle}) > 0`))
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
