import type {
  Body,
  ConversationKind,
  ConversationSettings,
  MemberReadSeq,
  Message,
  SystemBody,
} from "@mpchat/protocol";
import type { AdminStore } from "./admin-records";
import type { MediaCheckStore } from "./media-check-records";
import type { NoticeStore } from "./notice-records";
import type { ProfileStore } from "./profile-records";
import type { SafetyStore } from "./safety-records";

/**
 * The Store port: everything the chat rules need from persistence.
 * Adapters: `sqlite/` (embedded default, libsql) and `mysql/` (production).
 * Nothing above this port knows about SQL; nothing below it knows about sockets.
 */

export interface UserRecord {
  id: string;
  name: string;
  /** An image media the user uploaded (protocol 1.1); absent: no avatar. */
  avatarMediaId?: string;
}

/** A member's mute (groups): their sends are refused until `untilMs` (epoch ms). */
export interface MemberMute {
  userId: string;
  untilMs: number;
}

/** A conversation as stored, independent of who looks at it. */
export interface ConversationRecord {
  id: string;
  kind: ConversationKind;
  title: string;
  /** Member ids in the order they joined. */
  memberIds: string[];
  lastSeq: number;
  createdAt: number;
  updatedAt: number;
  /** Groups: the owner (absent for direct conversations). */
  ownerId?: string;
  /** Groups: the admins in join order (never the owner); empty for direct conversations. */
  adminIds: string[];
  /** Groups: the announcement, absent while none is set. */
  announcement?: string;
  /** Groups: everyone but the owner and admins is muted until then (epoch ms); 0 when never muted. May be past. */
  mutedAllUntil: number;
  /** Groups: members with a mute set (maybe already past), in join order. */
  mutes: MemberMute[];
  /** Groups: when it was dissolved; absent while it lives. */
  dissolvedAt?: number;
}

/** One member's own part of a conversation view. */
export interface MemberCursor {
  userId: string;
  readSeq: number;
  /** Messages after `readSeq` sent by others, not counting system, recall and recalled ones. */
  unread: number;
  /** The newest seq of a text that mentions this member or all; 0: none. */
  lastMentionSeq: number;
  settings: ConversationSettings;
}

/** A conversation as one member sees it (the protocol's `Conversation`). */
export interface ConversationView extends ConversationRecord, Omit<MemberCursor, "userId"> {
  lastMessage?: Message;
  /** Every member's read cursor, in `memberIds` order (the protocol's `memberReadSeqs`). */
  memberReadSeqs: MemberReadSeq[];
}

/** A member's settings before they change any: not pinned, not muted, no draft. */
export const DEFAULT_SETTINGS: Readonly<ConversationSettings> = Object.freeze({ pinned: false, muted: false });

/** A change of one member's settings: a field left out keeps its value; `draft: ""` clears it. */
export type SettingsPatch = Partial<ConversationSettings>;

/** A conversation as every member sees it alike: a view without the member's own part. */
export type SharedConversationView = Omit<ConversationView, keyof Omit<MemberCursor, "userId">>;

/**
 * Every member's view of one conversation, in O(members) bytes: the shared part
 * once, and each member's cursor and unread count (members in join order).
 */
export interface ConversationMembers {
  conversation: SharedConversationView;
  members: MemberCursor[];
}

/** One message to append; `id` and `createdAt` are chosen by the caller. */
export interface AppendInput {
  id: string;
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: Body;
  createdAt: number;
}

export type AppendResult =
  /** Stored now, with the next seq of its conversation. */
  | { status: "stored"; message: Message }
  /** `(senderId, clientMsgId)` was stored before (or earlier in the same batch): the original. */
  | { status: "duplicate"; message: Message }
  /** The conversation does not exist. */
  | { status: "not_found" };

/** One change to a group's stored state (the store applies; chat/ decides). */
export type GroupMutation =
  /** Adds those not in yet, after the others in join order; all or nothing past MAX_GROUP_MEMBERS (GroupFullError). */
  | { kind: "add_members"; userIds: readonly string[] }
  | { kind: "remove_member"; userId: string }
  | { kind: "set_title"; title: string }
  /** null clears it. */
  | { kind: "set_announcement"; announcement: string | null }
  /** The new owner stops being an admin; the old one becomes a plain member. */
  | { kind: "set_owner"; userId: string }
  | { kind: "set_admin"; userId: string; admin: boolean }
  /** 0 unmutes. */
  | { kind: "mute_member"; userId: string; untilMs: number }
  /** 0 unmutes. */
  | { kind: "mute_all"; untilMs: number }
  | { kind: "dissolve" };

/** A `system` message to append; `id`, `clientMsgId` and `createdAt` chosen by the caller. */
export interface SystemMessageInput {
  id: string;
  /** Who made the change. */
  senderId: string;
  clientMsgId: string;
  body: SystemBody;
  createdAt: number;
}

/** What one management call stores: its mutations, then its system messages (in this order in the stream). */
export interface GroupChange {
  mutations: GroupMutation[];
  messages: SystemMessageInput[];
}

export interface GroupChangeResult {
  before: ConversationRecord;
  after: ConversationRecord;
  /** The system messages as stored, with their seqs. */
  messages: Message[];
}

export interface PageQuery {
  /** Ascending page of messages with seq > afterSeq. */
  afterSeq?: number;
  /** Descending page of messages with seq < beforeSeq, returned ascending. */
  beforeSeq?: number;
  limit: number;
}

export interface Page {
  messages: Message[];
  hasMore: boolean;
}

/** A login session (protocol 1.1): its tokens are accepted until it ends (logout). */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  /** When logout ended it; null while it lives. */
  endedAt: number | null;
}

export interface Store extends ProfileStore, SafetyStore, AdminStore, NoticeStore, MediaCheckStore {
  /**
   * How many `appendMessages` transactions for disjoint conversations the
   * adapter runs usefully at once (the GroupCommitter's lanes). Unset: one.
   */
  readonly parallelAppends?: number;

  /** Answers when the database answers; throws otherwise (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;

  upsertUser(user: UserRecord): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | null>;
  /** Users among `ids` that exist. */
  existingUserIds(ids: readonly string[]): Promise<string[]>;

  /** Records a new live session (its id is random and fresh). */
  createSession(session: { id: string; userId: string; createdAt: number }): Promise<void>;
  getSession(id: string): Promise<SessionRecord | null>;
  /** Ends a session; ending it again keeps the first end time. Returns the session after, null when unknown. */
  endSession(id: string, endedAt: number): Promise<SessionRecord | null>;

  /**
   * The direct conversation of two users, created at most once even when asked
   * concurrently (a unique key on the ordered pair).
   */
  getOrCreateDirect(input: { id: string; a: string; b: string; now: number }): Promise<{
    conversation: ConversationRecord;
    created: boolean;
  }>;
  /** Throws GroupFullError (nothing stored) for more than MAX_GROUP_MEMBERS distinct members. */
  createGroup(input: { id: string; title: string; memberIds: string[]; now: number }): Promise<ConversationRecord>;
  /**
   * Adds members (ignoring those already in); returns the conversation after.
   * All or nothing: when the group would pass MAX_GROUP_MEMBERS it throws
   * GroupFullError and adds nobody. Checked inside the transaction, so that
   * concurrent additions (on any instance) cannot pass the limit together.
   */
  addMembers(conversationId: string, userIds: readonly string[], now: number): Promise<ConversationRecord | null>;
  /** Removes one member (nothing when not a member); returns the conversation after, null when it does not exist. */
  removeMember(conversationId: string, userId: string, now: number): Promise<ConversationRecord | null>;
  /**
   * One group management call in ONE transaction: locks the conversation (against
   * concurrent changes and appends, on every process), hands its current record to
   * `decide` (which throws to refuse: nothing is stored), applies the mutations and
   * appends the system messages at the next seqs, dense and in order, moving each
   * sender's read cursor to their message when still a member. Null when the
   * conversation does not exist.
   */
  changeGroup(
    conversationId: string,
    decide: (current: ConversationRecord) => GroupChange,
    now: number,
  ): Promise<GroupChangeResult | null>;
  getConversation(id: string): Promise<ConversationRecord | null>;
  isMember(conversationId: string, userId: string): Promise<boolean>;
  /** The user's conversations, most recent activity first. */
  listConversations(userId: string): Promise<ConversationView[]>;
  /** One conversation as `userId` sees it, or null when not a member. */
  getConversationView(conversationId: string, userId: string): Promise<ConversationView | null>;
  /** The shared view and every member's cursor and unread count, from a bounded number of queries. */
  getConversationMembers(conversationId: string): Promise<ConversationMembers | null>;
  /** Every user who shares at least one conversation with `userId` (for presence). */
  contactsOf(userId: string): Promise<string[]>;

  /**
   * Append a batch of messages in ONE transaction (group commit). Seqs are
   * allocated inside the transaction, dense per conversation. Each sender's read
   * cursor moves to their own new message. Results are in input order. Resolves
   * only after commit.
   */
  appendMessages(batch: readonly AppendInput[]): Promise<AppendResult[]>;
  /** One message by id (as stored now: a recalled one has its `recalled` body), or null. */
  findMessage(id: string): Promise<Message | null>;
  /** The recall message that recalled `messageId`, or null when it was not recalled. */
  findRecallOf(messageId: string): Promise<Message | null>;
  /**
   * Changes `userId`'s own settings of a conversation; returns their view after,
   * null when they are not a member.
   */
  updateSettings(conversationId: string, userId: string, patch: SettingsPatch): Promise<ConversationView | null>;
  /** The message named by `(senderId, clientMsgId)`, if stored. */
  findByClientMsgId(senderId: string, clientMsgId: string): Promise<Message | null>;
  listMessages(conversationId: string, query: PageQuery): Promise<Page>;
  /** Moves the read cursor forward only (clamped to lastSeq); returns the cursor after. */
  markRead(conversationId: string, userId: string, seq: number): Promise<number>;
}
