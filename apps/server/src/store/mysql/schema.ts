import { bigint, boolean, customType, index, int, mysqlTable, primaryKey, uniqueIndex } from "drizzle-orm/mysql-core";

/**
 * MySQL / MariaDB schema (production). Keep it in step with `../sqlite/schema.ts`:
 * `test/store/schema-parity.test.ts` compares the two. Times are epoch milliseconds.
 *
 * Every string column is utf8mb4 (emoji are 4 bytes) with the binary collation:
 * ids and clientMsgIds are case-sensitive names ("A" and "a" are different
 * users), exactly as in SQLite, and text is compared byte for byte.
 */
const UTF8MB4 = "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";

/** `varchar(n)` in utf8mb4 with the binary collation. */
function utf8mb4Varchar<T extends string = string>(length: number) {
  return customType<{ data: T; driverData: string }>({
    dataType: () => `varchar(${length}) ${UTF8MB4}`,
  });
}

/** Message bodies: up to 4000 code points as JSON; mediumtext leaves room for escapes. */
const utf8mb4MediumText = customType<{ data: string; driverData: string }>({
  dataType: () => `mediumtext ${UTF8MB4}`,
});

/**
 * clientMsgId is free text chosen by clients. Stored as its UTF-8 bytes because
 * MariaDB's utf8mb4 collations are PAD SPACE ("k" would equal "k "), which would
 * merge two different client names for a message; binary strings compare exactly.
 */
const utf8Bytes = customType<{ data: string; driverData: Buffer | string }>({
  dataType: () => "varbinary(256)",
  fromDriver: (value) => (typeof value === "string" ? value : value.toString("utf8")),
});

/** Free text of a few thousand characters (drafts, report reasons, notes). */
const utf8mb4Text = customType<{ data: string; driverData: string }>({
  dataType: () => `text ${UTF8MB4}`,
});

const id = utf8mb4Varchar(64);
const name = utf8mb4Varchar(255);
/** Group announcements: 1000 code points. */
const announcement = utf8mb4Varchar(1000);
const kind = utf8mb4Varchar<"direct" | "group">(16);
/** Two user ids and a colon. */
const directKey = utf8mb4Varchar(129);

export const users = mysqlTable("users", {
  id: id("id").primaryKey(),
  name: name("name").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  /** An image in `media` the user uploaded; null: no avatar. */
  avatarMediaId: id("avatar_media_id"),
});

export const conversations = mysqlTable(
  "conversations",
  {
    id: id("id").primaryKey(),
    kind: kind("kind").notNull(),
    title: name("title").notNull(),
    /** "<lower id>:<higher id>" for direct conversations, null for groups: makes the pair unique. */
    directKey: directKey("direct_key"),
    /** The seq of the newest message; the append transaction locks this row to allocate the next. */
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    /** Groups: the owner (the creator until transferred); null for direct conversations. */
    ownerId: id("owner_id"),
    /** Groups: the announcement (≤ 1000 code points); null while none is set. */
    announcement: announcement("announcement"),
    /** Groups: everyone but the owner and admins is muted until then (epoch ms); 0: not muted. */
    mutedAllUntil: bigint("muted_all_until", { mode: "number" }).notNull().default(0),
    /** Groups: when it was dissolved; null while it lives. */
    dissolvedAt: bigint("dissolved_at", { mode: "number" }),
    /** The newest seq of a text that mentions all (`mentionAll`); 0: none. Part of every member's lastMentionSeq. */
    lastMentionAllSeq: bigint("last_mention_all_seq", { mode: "number" }).notNull().default(0),
  },
  (t) => [uniqueIndex("conversations_direct_key_uq").on(t.directKey)],
);

export const members = mysqlTable(
  "members",
  {
    conversationId: id("conversation_id").notNull(),
    userId: id("user_id").notNull(),
    /** The member's read cursor: every message with seq <= readSeq counts as read. */
    readSeq: bigint("read_seq", { mode: "number" }).notNull().default(0),
    /** Join order within the conversation (memberIds are listed in it). */
    position: int("position").notNull(),
    joinedAt: bigint("joined_at", { mode: "number" }).notNull(),
    /** Groups: an admin (the owner is named by conversations.owner_id, never an admin too). */
    isAdmin: boolean("is_admin").notNull().default(false),
    /** Groups: muted until then (epoch ms); 0: not muted. */
    mutedUntil: bigint("muted_until", { mode: "number" }).notNull().default(0),
    /** The newest seq of a text that mentions this member by id; 0: none. */
    lastMentionSeq: bigint("last_mention_seq", { mode: "number" }).notNull().default(0),
    /** The member's own settings (protocol 1.1): pinned first in their list; notifications muted; unsent draft. */
    pinned: boolean("pinned").notNull().default(false),
    notificationsMuted: boolean("notifications_muted").notNull().default(false),
    draft: utf8mb4Text("draft"),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index("members_user_idx").on(t.userId)],
);

export const messages = mysqlTable(
  "messages",
  {
    id: id("id").notNull(),
    conversationId: id("conversation_id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    senderId: id("sender_id").notNull(),
    clientMsgId: utf8Bytes("client_msg_id").notNull(),
    /** The protocol `Body` as JSON text, stored exactly as sent. */
    body: utf8mb4MediumText("body").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    /** True for bodies that count toward no unread: system, recall and recalled (set on append and on recall). */
    quiet: boolean("quiet").notNull().default(false),
    /** On a recall message: the id of the message it recalls (unique: a message is recalled once). */
    recallOf: id("recall_of"),
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
export const sessions = mysqlTable("sessions", {
  id: id("id").primaryKey(),
  userId: id("user_id").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  /** Set once by logout; null while the session lives. */
  endedAt: bigint("ended_at", { mode: "number" }),
});

const mediaKind = utf8mb4Varchar<"image" | "voice" | "file">(16);
/** Media store keys and MIME types: server-made ASCII. */
const key = utf8mb4Varchar(255);

/** Uploaded media (images, voice, files); the bytes live in the media store under the keys. */
export const media = mysqlTable(
  "media",
  {
    id: id("id").primaryKey(),
    uploaderId: id("uploader_id").notNull(),
    /** Free text chosen by clients, compared exactly (see clientMsgId). */
    clientMediaId: utf8Bytes("client_media_id").notNull(),
    kind: mediaKind("kind").notNull(),
    mime: key("mime").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    width: int("width"),
    height: int("height"),
    durationMs: bigint("duration_ms", { mode: "number" }),
    name: name("name"),
    storageKey: key("storage_key").notNull(),
    thumbnailKey: key("thumbnail_key"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("media_uploader_client_uq").on(t.uploaderId, t.clientMediaId)],
);

/**
 * Which media each message shows (image, voice and file bodies), written in the
 * transaction that appends the message: media access (a member of a conversation
 * in which a message references it) and the collector look media up here by id.
 */
export const messageMedia = mysqlTable(
  "message_media",
  {
    conversationId: id("conversation_id").notNull(),
    /** The message's seq in its conversation: a message names at most one media. */
    seq: bigint("seq", { mode: "number" }).notNull(),
    mediaId: id("media_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.seq] }),
    index("message_media_media_idx").on(t.mediaId, t.conversationId),
  ],
);

/** Invite codes; `conversation_id` null: an invite to a direct conversation with the creator. */
export const invites = mysqlTable("invites", {
  code: id("code").primaryKey(),
  creatorId: id("creator_id").notNull(),
  conversationId: id("conversation_id"),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  revokedAt: bigint("revoked_at", { mode: "number" }),
});

const reportStatus = utf8mb4Varchar<"open" | "resolved">(16);

/** Who blocked whom (protocol 1.1, Safety): the blocked user cannot write to or invite the blocker. */
export const blocks = mysqlTable(
  "blocks",
  {
    blockerId: id("blocker_id").notNull(),
    blockedId: id("blocked_id").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] })],
);

/** Media sent to WeChat's async media check (media_check_async), by its trace_id, until the verdict. */
export const mediaChecks = mysqlTable("media_checks", {
  traceId: utf8mb4Varchar(128)("trace_id").primaryKey(),
  mediaId: id("media_id").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

/** Reports for the operator; `message` is the reported message as JSON, copied when reported. */
export const reports = mysqlTable(
  "reports",
  {
    id: id("id").primaryKey(),
    reporterId: id("reporter_id").notNull(),
    conversationId: id("conversation_id").notNull(),
    messageId: id("message_id"),
    userId: id("user_id"),
    reason: utf8mb4Text("reason").notNull(),
    message: utf8mb4MediumText("message"),
    status: reportStatus("status").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    resolvedAt: bigint("resolved_at", { mode: "number" }),
    note: utf8mb4Text("note"),
  },
  (t) => [index("reports_status_created_idx").on(t.status, t.createdAt)],
);
/** Operators' reasons (bans, removals): 500 code points. */
const reason = utf8mb4Varchar(2000);

/** Users banned by an operator (admin API): one row per banned user; `until_ms` null: until lifted. */
export const bans = mysqlTable("bans", {
  userId: id("user_id").primaryKey(),
  reason: reason("reason").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
  untilMs: bigint("until_ms", { mode: "number" }),
});

/** Every admin API call (who, what, when, why); the id orders them. */
export const auditLog = mysqlTable("audit_log", {
  id: bigint("id", { mode: "number" }).autoincrement().primaryKey(),
  at: bigint("at", { mode: "number" }).notNull(),
  actor: name("actor").notNull(),
  action: id("action").notNull(),
  target: name("target"),
  reason: reason("reason"),
  status: int("status").notNull(),
});

/** Offline notices: how many one-time acceptances of a template a user has left (WeChat subscribe messages). */
export const noticeCredits = mysqlTable(
  "notice_credits",
  {
    userId: id("user_id").notNull(),
    templateId: id("template_id").notNull(),
    credits: int("credits").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.templateId] })],
);

/**
 * Offline notices sent in the member's current offline spell: one row per
 * (user, conversation) until the user is next online. The row is the claim
 * (the primary key lets one instance win) and survives a restart.
 */
export const noticeMarks = mysqlTable(
  "notice_marks",
  {
    userId: id("user_id").notNull(),
    conversationId: id("conversation_id").notNull(),
    notifiedAt: bigint("notified_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.conversationId] })],
);
