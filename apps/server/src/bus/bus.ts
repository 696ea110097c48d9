import type { Ban, Conversation, ConversationSettings, Message, User } from "@mpchat/protocol";

/** A conversation as all its members see it alike (a member's view without their own part). */
export type SharedConversation = Omit<
  Conversation,
  "readSeq" | "unread" | "lastMentionSeq" | "settings" | "mutedUntil"
>;

/** One member's own part of a conversation view (lastMentionSeq 0: none). */
export interface MemberPart {
  userId: string;
  readSeq: number;
  unread: number;
  lastMentionSeq: number;
  settings: ConversationSettings;
  /** The member's own mute, while it lasts (groups). */
  mutedUntil?: number;
}

/**
 * The Bus port: how an event reaches every instance's sockets. The local adapter
 * calls subscribers in-process; the Redis adapter publishes to other instances.
 * Events carry their recipients so that no instance needs the store to fan out.
 */
export type BusEvent =
  | { type: "message"; recipients: readonly string[]; conversationId: string; message: Message }
  | { type: "receipt"; recipients: readonly string[]; conversationId: string; userId: string; seq: number }
  | { type: "typing"; recipients: readonly string[]; conversationId: string; userId: string }
  /**
   * Conversations are per-member views, so each recipient gets its own: the
   * shared body travels once, each member adds only its cursor and unread count
   * (O(members) bytes, not one full view per member). A membership change:
   * every instance's membership cache forgets the conversation.
   */
  | { type: "conversation"; conversation: SharedConversation; members: MemberPart[] }
  /**
   * Members were removed or left: every instance's membership cache forgets the
   * conversation, and each listed user's connections get `conversation_removed`,
   * after which nothing more of it reaches them (RemovalLedger) until a later
   * `conversation` event (lastSeq past `seq`) names them a member again. `seq`: the
   * removal's system message.
   */
  | {
      type: "members_removed";
      conversationId: string;
      userIds: readonly string[];
      reason: "removed" | "left" | "dissolved";
      seq: number;
    }
  | { type: "presence"; recipients: readonly string[]; userId: string; online: boolean }
  /** A logout: every instance refuses the session's tokens and closes its sockets with 4401. */
  | { type: "session_ended"; userId: string; sessionId: string }
  /** An operator banned the user: every instance refuses their logins and tokens and closes their sockets with 4403. */
  | { type: "user_banned"; userId: string; ban: Ban }
  /** An operator lifted the user's ban. */
  | { type: "user_unbanned"; userId: string }
  /** Past MAX_CONNECTIONS_PER_USER across instances: the instance holding each listed connection closes it with 4409. */
  | { type: "connection_replaced"; userId: string; connectionIds: readonly string[] }
  /** A profile changed: the user and everyone who shares a conversation with them. */
  | { type: "user"; recipients: readonly string[]; user: User };

export interface Bus {
  publish(event: BusEvent): Promise<void>;
  /** Registers the handler for every event published by any instance (this one included). */
  subscribe(handler: (event: BusEvent) => void): void;
  /** Throws when the bus cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
