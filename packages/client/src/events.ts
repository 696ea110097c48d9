import type { Conversation, Message, User } from "@mpchat/protocol";
import type { ChatError, SendFailedError } from "./errors";
import type { OutboxEntry } from "./outbox-entry";

/** `connecting`: opening or authenticating. `online`: authenticated. `offline`: not trying, or waiting to retry. */
export type ConnectionState = "connecting" | "online" | "offline";

/** Why the client is offline (or reconnecting). */
export type OfflineReason =
  /** `close()` was called, or `connect()` never was. */
  | "closed"
  /** `suspend()` was called (the mini program went to the background). */
  | "suspended"
  /** The server refused the token (close 4401 or `unauthorized`): not retried until `connect()`. */
  | "unauthorized"
  /** The user is banned (close 4403): not retried until `connect()`. */
  | "banned"
  /**
   * A newer connection of the same user replaced this one (close 4409): not retried
   * (two devices would take turns replacing each other) until `connect()` or `resume()`.
   */
  | "replaced"
  /** The server does not serve this client's protocol version (close 4426): not retried until `connect()`. */
  | "unsupported_version"
  /** The link failed; a reconnect is scheduled. */
  | "retrying";

export interface StateEvent {
  state: ConnectionState;
  /** Set when `state` is `offline`. */
  reason?: OfflineReason;
  /** The authenticated user, when `online`. */
  userId?: string;
  /** When `offline` with reason `retrying`: milliseconds until the next attempt. */
  retryInMs?: number;
  /** When the server stopped the client (`banned`, `replaced`, `unsupported_version`): the close reason it gave. */
  message?: string;
}

export interface RecoveredEvent {
  conversationId: string;
  /** First seq that a sync (not a push) delivered. */
  fromSeq: number;
  /** Last seq that sync delivered. */
  toSeq: number;
  /** How many messages sync delivered (pushes that arrived meanwhile are not counted). */
  count: number;
}

/** The events of a ChatClient and what each handler receives. */
export interface ChatEvents {
  /** A new message, in seq order per conversation, exactly once per (conversation, seq). */
  message: Message;
  /**
   * A loaded message was recalled: `message` is its tombstone (body `{ kind:
   * "recalled", by }`, seq, sender and time kept), in place in `messages()`;
   * `recall` is the recall message (also delivered as a `message`). An original
   * that arrives after its recall (an older page, a resync) arrives as a tombstone.
   */
  recalled: { conversationId: string; message: Message; recall: Message };
  /** A member (maybe this user on another device) moved their read cursor in a conversation. */
  receipt: { conversationId: string; userId: string; seq: number };
  /** A member is typing (not stored; show it for a few seconds). */
  typing: { conversationId: string; userId: string };
  /** A conversation was added or changed: members, title, last message, read cursor or unread count. */
  conversation: Conversation;
  /**
   * The user was removed from a group or left it (here or on another device): it
   * left the list (`conversations()`), its timeline is gone and it is no longer synced.
   */
  conversationRemoved: { conversationId: string; reason: "removed" | "left" | "dissolved" };
  /** Someone who shares a conversation with the user came online or went offline. */
  presence: { userId: string; online: boolean };
  /** Someone the user shares a conversation with (or the user) changed their name or avatar. */
  user: User;
  /** The connection state changed. */
  state: StateEvent;
  /** A sync (after a reconnect, or to fill a gap) delivered messages that no push had brought. */
  recovered: RecoveredEvent;
  /** A message was acknowledged by the server (it is stored); its outbox entry is gone. */
  sent: { clientMsgId: string; message: Message };
  /** A message was refused for good and will not be retried (forbidden, too_large, bad_request, ...). */
  sendFailed: { entry: OutboxEntry; error: SendFailedError };
  /** The outbox changed (an entry was added, acknowledged, failed, retried or discarded). */
  outbox: readonly OutboxEntry[];
  /** The token was refused (socket close 4401 or HTTP 401). The client stopped; log in again and `connect()`. */
  unauthorized: { message: string };
  /**
   * The client refreshed its token before expiry (and re-authed its socket with
   * it): store it if the app keeps the token across starts. `expiresAt` in epoch ms.
   */
  token: { token: string; expiresAt?: number };
  /** A background task (resume, gap repair) failed and will be retried; for logging. */
  error: ChatError;
}

export type ChatEventName = keyof ChatEvents;
export type ChatEventHandler<K extends ChatEventName> = (payload: ChatEvents[K]) => void;

/** How the parts of a ChatClient raise its events (the facade's emitter, passed down). */
export type ChatEmit = <K extends ChatEventName>(event: K, payload: ChatEvents[K]) => void;
