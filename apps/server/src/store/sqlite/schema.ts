import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * SQLite schema (the embedded default). Keep it in step with `../mysql/schema.ts`:
 * `test/store/schema-parity.test.ts` compares the two. Times are epoch milliseconds.
 */

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at", { mode: "number" }).notNull(),
  /** An image in `media` the user uploaded; null: no avatar. */
  avatarMediaId: text("avatar_media_id"),
});

export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["direct", "group"] }).notNull(),
    title: text("title").notNull(),
    /** "<lower id>:<higher id>" for direct conversations, null for groups: makes the pair unique. */
    directKey: text("direct_key"),
    /** The seq of the newest message; the next one gets lastSeq + 1 (allocated in the append transaction). */
    lastSeq: integer("last_seq", { mode: "number" }).notNull().default(0),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
    /** Groups: the owner (the creator until transferred); null for direct conversations. */
    ownerId: text("owner_id"),
    /** Groups: the announcement; null while none is set. */
    announcement: text("announcement"),
    /** Groups: everyone but the owner and admins is muted until then (epoch ms); 0: not muted. */
    mutedAllUntil: integer("muted_all_until", { mode: "number" }).notNull().default(0),
    /** Groups: when it was dissolved; null while it lives. */
    dissolvedAt: integer("dissolved_at", { mode: "number" }),
    /** The newest seq of a text that mentions all (`mentionAll`); 0: none. Part of every member's lastMentionSeq. */
    lastMentionAllSeq: integer("last_mention_all_seq", { mode: "number" }).notNull().default(0),
  },
  (t) => [uniqueIndex("conversations_direct_key_uq").on(t.directKey)],
);

export const members = sqliteTable(
  "members",
  {
    conversationId: text("conversation_id").notNull(),
    userId: text("user_id").notNull(),
    /** The member's read cursor: every message with seq <= readSeq counts as read. */
    readSeq: integer("read_seq", { mode: "number" }).notNull().default(0),
    /** Join order within the conversation (memberIds are listed in it). */
    position: integer("position", { mode: "number" }).notNull(),
    joinedAt: integer("joined_at", { mode: "number" }).notNull(),
    /** Groups: an admin (the owner is named by conversations.owner_id, never an admin too). */
    isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
    /** Groups: muted until then (epoch ms); 0: not muted. */
    mutedUntil: integer("muted_until", { mode: "number" }).notNull().default(0),
    /** The newest seq of a text that mentions this member by id; 0: none. */
    lastMentionSeq: integer("last_mention_seq", { mode: "number" }).notNull().default(0),
    /** The member's own settings (protocol 1.1): pinned first in their list; notifications muted; unsent draft. */
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
    notificationsMuted: integer("notifications_muted", { mode: "boolean" }).notNull().default(false),
    draft: text("draft"),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("members_user_idx").on(t.userId)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").notNull(),
    conversationId: text("conversation_id").notNull(),
    seq: integer("seq", { mode: "number" }).notNull(),
    senderId: text("sender_id").notNull(),
    clientMsgId: text("client_msg_id").notNull(),
    /** The protocol `Body` as JSON text, stored exactly as sent. */
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    /** True for bodies that count toward no unread: system, recall and recalled (set on append and on recall). */
    quiet: integer("quiet", { mode: "boolean" }).notNull().default(false),
    /** On a recall message: the id of the message it recalls (unique: a message is recalled once). */
    recallOf: text("recall_of"),
  },
  (t) => [
    // The clustered key in InnoDB: a conversation's messages are stored together, in seq order,
    // so history pages and unread counts are range scans and inserts append (message ids are random).
    primaryKey({ columns: [t.conversationId, t.seq] }),
    uniqueIndex("messages_id_uq").on(t.id),
    uniqueIndex("messages_sender_client_msg_uq").on(t.senderId, t.clientMsgId),
    uniqueIndex("messages_recall_of_uq").on(t.recallOf),
  ],
);

/** Login sessions: a token names its session (`sid`); a session ended by logout refuses all of its tokens. */
export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull(),
  createdAt: integer("created_at", { mode: "number" }).notNull(),
  /** Set once by logout; null while the session lives. */
  endedAt: integer("ended_at", { mode: "number" }),
});

/** Uploaded media (images, voice, files); the bytes live in the media store under the keys. */
export const media = sqliteTable(
  "media",
  {
    id: text("id").primaryKey(),
    uploaderId: text("uploader_id").notNull(),
    /** The uploader's name for the upload: retries with it find the same row. */
    clientMediaId: text("client_media_id").notNull(),
    kind: text("kind", { enum: ["image", "voice", "file"] }).notNull(),
    mime: text("mime").notNull(),
    size: integer("size", { mode: "number" }).notNull(),
    width: integer("width", { mode: "number" }),
    height: integer("height", { mode: "number" }),
    durationMs: integer("duration_ms", { mode: "number" }),
    name: text("name"),
    storageKey: text("storage_key").notNull(),
    thumbnailKey: text("thumbnail_key"),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("media_uploader_client_uq").on(t.uploaderId, t.clientMediaId)],
);

/**
 * Which media each message shows (image, voice and file bodies), written in the
 * transaction that appends the message: media access (a member of a conversation
 * in which a message references it) and the collector look media up here by id.
 */
export const messageMedia = sqliteTable(
  "message_media",
  {
    conversationId: text("conversation_id").notNull(),
    /** The message's seq in its conversation: a message names at most one media. */
    seq: integer("seq", { mode: "number" }).notNull(),
    mediaId: text("media_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.seq] }),
    index("message_media_media_idx").on(t.mediaId, t.conversationId),
  ],
);

/** Invite codes; `conversation_id` null: an invite to a direct conversation with the creator. */
export const invites = sqliteTable("invites", {
  code: text("code").primaryKey(),
  creatorId: text("creator_id").notNull(),
  conversationId: text("conversation_id"),
  createdAt: integer("created_at", { mode: "number" }).notNull(),
  expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  revokedAt: integer("revoked_at", { mode: "number" }),
});

/** Who blocked whom (protocol 1.1, Safety): the blocked user cannot write to or invite the blocker. */
export const blocks = sqliteTable(
  "blocks",
  {
    blockerId: text("blocker_id").notNull(),
    blockedId: text("blocked_id").notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] })],
);

/** Media sent to WeChat's async media check (media_check_async), by its trace_id, until the verdict. */
export const mediaChecks = sqliteTable("media_checks", {
  traceId: text("trace_id").primaryKey(),
  mediaId: text("media_id").notNull(),
  createdAt: integer("created_at", { mode: "number" }).notNull(),
});

/** Reports for the operator; `message` is the reported message as JSON, copied when reported. */
export const reports = sqliteTable(
  "reports",
  {
    id: text("id").primaryKey(),
    reporterId: text("reporter_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    messageId: text("message_id"),
    userId: text("user_id"),
    reason: text("reason").notNull(),
    message: text("message"),
    status: text("status").$type<"open" | "resolved">().notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    resolvedAt: integer("resolved_at", { mode: "number" }),
    note: text("note"),
  },
  (t) => [index("reports_status_created_idx").on(t.status, t.createdAt)],
);
/** Users banned by an operator (admin API): one row per banned user; `until_ms` null: until lifted. */
export const bans = sqliteTable("bans", {
  userId: text("user_id").primaryKey(),
  reason: text("reason").notNull(),
  createdAt: integer("created_at", { mode: "number" }).notNull(),
  untilMs: integer("until_ms", { mode: "number" }),
});

/** Every admin API call (who, what, when, why); the id orders them. */
export const auditLog = sqliteTable("audit_log", {
  id: integer("id", { mode: "number" }).primaryKey({ autoIncrement: true }),
  at: integer("at", { mode: "number" }).notNull(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  target: text("target"),
  reason: text("reason"),
  status: integer("status", { mode: "number" }).notNull(),
});

/** Offline notices: how many one-time acceptances of a template a user has left (WeChat subscribe messages). */
export const noticeCredits = sqliteTable(
  "notice_credits",
  {
    userId: text("user_id").notNull(),
    templateId: text("template_id").notNull(),
    credits: integer("credits", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.templateId] })],
);

/**
 * Offline notices sent in the member's current offline spell: one row per
 * (user, conversation) until the user is next online. The row is the claim
 * (the primary key lets one instance win) and survives a restart.
 */
export const noticeMarks = sqliteTable(
  "notice_marks",
  {
    userId: text("user_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    notifiedAt: integer("notified_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.conversationId] })],
);
