import * as v from "valibot";
import { ReceivedBodySchema } from "./bodies/body";
import { ClientMsgIdSchema, EntityIdSchema, SeqSchema, TimestampSchema, UserIdSchema } from "./primitives";

export const MessageSchema = v.object({
  id: EntityIdSchema,
  conversationId: EntityIdSchema,
  seq: SeqSchema,
  senderId: UserIdSchema,
  clientMsgId: ClientMsgIdSchema,
  /** Tolerant: a body kind from a newer server decodes as `unknown` (bodies/body.ts). */
  body: ReceivedBodySchema,
  createdAt: TimestampSchema,
});
export type Message = v.InferOutput<typeof MessageSchema>;

export const ConversationKindSchema = v.picklist(["direct", "group"]);
export type ConversationKind = v.InferOutput<typeof ConversationKindSchema>;

/**
 * One member's read cursor. A list of these rather than a record keyed by user id:
 * `constructor`, `prototype` and `__proto__` are valid user ids, and a record
 * would drop them (valibot skips those keys) or collide with Object.prototype.
 */
export const MemberReadSeqSchema = v.object({ userId: UserIdSchema, readSeq: SeqSchema });
export type MemberReadSeq = v.InferOutput<typeof MemberReadSeqSchema>;

/** One member's own settings of a conversation (protocol 1.1): only that member sees them. */
export const ConversationSettingsSchema = v.object({
  pinned: v.boolean(),
  /** Notifications muted (no offline notice); not the group's send mute. */
  muted: v.boolean(),
  /** The unsent text the member left in the composer; absent: none. */
  draft: v.optional(v.string()),
});
export type ConversationSettings = v.InferOutput<typeof ConversationSettingsSchema>;

/** A conversation as one member sees it: `readSeq`, `unread`, `lastMentionSeq` and `settings` are that member's. */
export const ConversationSchema = v.object({
  id: EntityIdSchema,
  kind: ConversationKindSchema,
  title: v.string(),
  memberIds: v.array(UserIdSchema),
  lastSeq: SeqSchema,
  readSeq: SeqSchema,
  unread: SeqSchema,
  lastMessage: v.optional(MessageSchema),
  updatedAt: TimestampSchema,
  /**
   * Every member's read cursor (the caller's too), so that read state survives a
   * restart of the client. Added after v1's first release: optional, so that a
   * server or client that does not know it still interoperates.
   */
  memberReadSeqs: v.optional(v.array(MemberReadSeqSchema)),
  /** Protocol 1.1: the newest seq whose text mentions this member or all; absent: none. */
  lastMentionSeq: v.optional(SeqSchema),
  /** Protocol 1.1: this member's settings; optional so that a v1 server still decodes (servers of this package always send it). */
  settings: v.optional(ConversationSettingsSchema),
  /** Groups (protocol 1.1): the owner (the creator until transferred); present on every group. */
  ownerId: v.optional(UserIdSchema),
  /** Groups: the admins in join order (maybe empty); present on every group. The owner is never in it. */
  adminIds: v.optional(v.array(UserIdSchema)),
  /** Groups: the announcement; absent while none is set. */
  announcement: v.optional(v.string()),
  /** Groups: true while everyone but the owner and admins is muted. */
  mutedAll: v.optional(v.boolean()),
  /** mpchat addition: when the mute-all ends by itself (epoch ms); present while `mutedAll`. */
  mutedAllUntil: v.optional(TimestampSchema),
  /** The caller's own mute (epoch ms when it ends by itself); absent when the caller is not muted. */
  mutedUntil: v.optional(TimestampSchema),
  /** Groups: true once dissolved (send and typing are refused; history, sync and read keep working). */
  dissolved: v.optional(v.boolean()),
});
export type Conversation = v.InferOutput<typeof ConversationSchema>;

/** A user as others see them. `avatarMediaId` names an image media (protocol 1.1); absent: no avatar. */
export const UserSchema = v.object({ id: UserIdSchema, name: v.string(), avatarMediaId: v.optional(EntityIdSchema) });
export type User = v.InferOutput<typeof UserSchema>;
