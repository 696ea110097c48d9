/**
 * Records of profiles, media and invites (protocol 1.1), as the Store port
 * speaks them. Kept apart from store.ts so that each table's shape is in one place.
 */

export type MediaKind = "image" | "voice" | "file";

/** One uploaded media, as stored. Optional fields are absent when they do not apply. */
export interface MediaRecord {
  id: string;
  uploaderId: string;
  /** The uploader's name for it: a repeated upload with the same one is the same media. */
  clientMediaId: string;
  kind: MediaKind;
  mime: string;
  /** Stored size in bytes. */
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  /** The file name (files). */
  name?: string;
  /** Where the original is in the media store. */
  storageKey: string;
  /** Where the thumbnail is (images). */
  thumbnailKey?: string;
  createdAt: number;
}

/** An invite code. `conversationId` names a group; absent: a direct conversation with the creator. */
export interface InviteRecord {
  code: string;
  creatorId: string;
  conversationId?: string;
  createdAt: number;
  expiresAt: number;
  revokedAt?: number;
}

/** A profile change: `avatarMediaId: null` removes the avatar, absent fields stay. */
export interface ProfilePatch {
  name?: string;
  avatarMediaId?: string | null;
}

/** Store methods for profiles, media and invites (part of the Store port). */
export interface ProfileStore {
  /** Applies the patch; the user after, or null when there is no such user. */
  updateProfile(userId: string, patch: ProfilePatch): Promise<UserRow | null>;
  /** The users among `ids` that exist (any order). */
  getUsers(ids: readonly string[]): Promise<UserRow[]>;
  /**
   * Stores a media record once per `(uploaderId, clientMediaId)`: a repeat
   * (even concurrent) answers the record stored first, with `created: false`.
   */
  createMedia(media: MediaRecord): Promise<{ media: MediaRecord; created: boolean }>;
  findMedia(id: string): Promise<MediaRecord | null>;
  /**
   * Whether `userId` is a member of a conversation in which a message shows the
   * media (image, voice and file bodies; recorded when the message is appended).
   */
  mediaSharedWith(mediaId: string, userId: string): Promise<boolean>;
  /**
   * Media created before `createdBefore` that no user has as avatar and no message
   * shows, oldest first, at most `limit` (the collector's candidates).
   */
  unreferencedMedia(createdBefore: number, limit: number): Promise<MediaRecord[]>;
  /** Deletes the media row unless a user has it as avatar or a message shows it by now; true when this call deleted it. */
  deleteUnreferencedMedia(id: string): Promise<boolean>;
  createInvite(invite: InviteRecord): Promise<InviteRecord>;
  findInvite(code: string): Promise<InviteRecord | null>;
  /** Marks the invite revoked at `now` (the first revocation stays); false when there is no such code. */
  revokeInvite(code: string, now: number): Promise<boolean>;
}

/** A user row as the store returns it (the same as `UserRecord`). */
export interface UserRow {
  id: string;
  name: string;
  avatarMediaId?: string;
}
