import type { Body, ConversationKind, MemberReadSeq, Message } from "@mpchat/protocol";
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
}

/** A conversation as one member sees it (the protocol's `Conversation`). */
export interface ConversationView extends ConversationRecord {
  readSeq: number;
  /** Messages after `readSeq` sent by others. */
  unread: number;
  lastMessage?: Message;
  /** Every member's read cursor, in `memberIds` order (the protocol's `memberReadSeqs`). */
  memberReadSeqs: MemberReadSeq[];
}

/** One member's own part of a conversation view. */
export interface MemberCursor {
  userId: string;
  readSeq: number;
  /** Messages after `readSeq` sent by others. */
  unread: number;
}

/** A conversation as every member sees it alike: a view without the member's own readSeq and unread. */
export type SharedConversationView = Omit<ConversationView, "readSeq" | "unread">;

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

export interface Store extends ProfileStore, SafetyStore, NoticeStore {
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
  /** The message named by `(senderId, clientMsgId)`, if stored. */
  findByClientMsgId(senderId: string, clientMsgId: string): Promise<Message | null>;
  listMessages(conversationId: string, query: PageQuery): Promise<Page>;
  /** Moves the read cursor forward only (clamped to lastSeq); returns the cursor after. */
  markRead(conversationId: string, userId: string, seq: number): Promise<number>;
}
