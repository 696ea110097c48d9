import type { InviteRecord, MediaKind, MediaRecord, UserRow } from "./profile-records";

/**
 * Rows of `users`, `media` and `invites` as both dialects return them, and their
 * records: a null column becomes an absent field (the wire never carries null).
 */
export interface UserDbRow {
  id: string;
  name: string;
  avatarMediaId: string | null;
}

export interface MediaDbRow {
  id: string;
  uploaderId: string;
  clientMediaId: string;
  kind: MediaKind;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  name: string | null;
  storageKey: string;
  thumbnailKey: string | null;
  createdAt: number;
}

export interface InviteDbRow {
  code: string;
  creatorId: string;
  conversationId: string | null;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export function toUserRow(row: UserDbRow): UserRow {
  const user: UserRow = { id: row.id, name: row.name };
  if (row.avatarMediaId !== null) user.avatarMediaId = row.avatarMediaId;
  return user;
}

export function toMediaRecord(row: MediaDbRow): MediaRecord {
  const media: MediaRecord = {
    id: row.id,
    uploaderId: row.uploaderId,
    clientMediaId: row.clientMediaId,
    kind: row.kind,
    mime: row.mime,
    size: Number(row.size),
    storageKey: row.storageKey,
    createdAt: Number(row.createdAt),
  };
  if (row.width !== null) media.width = Number(row.width);
  if (row.height !== null) media.height = Number(row.height);
  if (row.durationMs !== null) media.durationMs = Number(row.durationMs);
  if (row.name !== null) media.name = row.name;
  if (row.thumbnailKey !== null) media.thumbnailKey = row.thumbnailKey;
  return media;
}

export function toMediaDbRow(media: MediaRecord): MediaDbRow {
  return {
    ...media,
    width: media.width ?? null,
    height: media.height ?? null,
    durationMs: media.durationMs ?? null,
    name: media.name ?? null,
    thumbnailKey: media.thumbnailKey ?? null,
  };
}

export function toInviteRecord(row: InviteDbRow): InviteRecord {
  const invite: InviteRecord = {
    code: row.code,
    creatorId: row.creatorId,
    createdAt: Number(row.createdAt),
    expiresAt: Number(row.expiresAt),
  };
  if (row.conversationId !== null) invite.conversationId = row.conversationId;
  if (row.revokedAt !== null) invite.revokedAt = Number(row.revokedAt);
  return invite;
}

export function toInviteDbRow(invite: InviteRecord): InviteDbRow {
  return { ...invite, conversationId: invite.conversationId ?? null, revokedAt: invite.revokedAt ?? null };
}
