import type {
  Block,
  ClientBody,
  Conversation,
  Message,
  ReportRequest,
  SettingsRequest,
  UpdateProfileRequest,
  User,
} from "@mpchat/protocol";
import { wireClient } from "./client-parts";
import type { ChatEventHandler, ChatEventName, ConnectionState } from "./events";
import { GroupCalls } from "./group-calls";
import type { MediaMessageInput } from "./media-message";
import type { ChatClientOptions } from "./options";
import type { OutboxEntry } from "./outbox-entry";
import type { RestApi } from "./rest-api";
import type { SendHandle, TextExtras } from "./send-tracker";
import type { UserDirectory } from "./user-directory";

export type { SendHandle } from "./send-tracker";

/**
 * The mpchat client: one WebSocket, kept alive; every message once, in order;
 * an outbox that survives restarts. See README.md for the guarantees, and its
 * "Inside the client" for which part does what. This class is the API only:
 * `wireClient` (client-parts.ts) builds the parts and connects them.
 */
export class ChatClient extends GroupCalls {
  /** Names and avatars of the people the user sees, kept fresh by `user` pushes. */
  readonly users: UserDirectory;

  constructor(options: ChatClientOptions) {
    super(wireClient(options));
    this.users = this.parts.people.users;
  }

  /** Subscribe to an event; returns the function that unsubscribes. */
  on<K extends ChatEventName>(event: K, handler: ChatEventHandler<K>): () => void {
    return this.parts.events.on(event, handler);
  }

  /** Start connecting (and keep reconnecting). Also restarts after `close()` or an `unauthorized` stop. */
  connect(): void {
    this.parts.keeper.start();
  }

  /** Close the socket and stop reconnecting. Pending sends stay in the outbox for the next `connect()`. */
  close(): void {
    this.parts.tokens.stop();
    this.parts.keeper.stop();
  }

  /**
   * End the session on the server (`POST /v1/auth/logout`): its tokens are
   * refused from then on, on every device that shares it. The socket is closed
   * first (so that the server's 4401 is not taken for a refusal) and the client
   * stays closed; a later `connect()` uses the app's token (`token`/`getToken`)
   * again. Rejects when the server could not be told (the session then lives on).
   */
  async logout(): Promise<void> {
    this.close();
    try {
      await this.parts.rest.logout();
    } finally {
      this.parts.tokens.forget();
    }
  }

  /** The app went to the background (mini program `onHide`): close the socket, keep all state. */
  suspend(): void {
    this.parts.keeper.suspend();
  }

  /** The app came back (`onShow`): reconnect at once (no backoff) and resync. */
  resume(): void {
    this.parts.keeper.resume();
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.parts.state();
  }

  /** The authenticated user, once the first `ready` arrived. */
  get userId(): string | undefined {
    return this.parts.userId();
  }

  /**
   * How long after sending a message its sender may recall it (ms), as the server
   * said in its last `ready`; undefined before it or from a server that does not say.
   * The server decides: a late recall is refused whatever a page showed.
   */
  get recallWindowMs(): number | undefined {
    return this.parts.recallWindowMs();
  }

  /** The REST routes with this client's token (history pages, membership, ...). */
  get api(): RestApi {
    return this.parts.rest;
  }

  /**
   * Send a text, optionally mentioning members (`mentions`, or `mentionAll` from the
   * group's owner or an admin) or replying to a message (`replyTo: { seq }`). It is
   * written to the outbox (storage) before the network is tried.
   */
  send(conversationId: string, text: string, extra?: TextExtras): SendHandle {
    return this.parts.sends.send(conversationId, text, extra);
  }

  /**
   * Send an image, voice or file message. The outbox entry (with the local file
   * and its clientMediaId) is written to storage before anything goes to the
   * network; the file is uploaded first (progress: `upload_progress`, and the
   * entry's `upload`), then the message is sent; both are retried idempotently
   * across reconnects and restarts. Needs the `upload` option (throws without it).
   */
  sendMedia(conversationId: string, input: MediaMessageInput): SendHandle {
    return this.parts.sends.sendMedia(conversationId, input);
  }

  /**
   * Send any body a client may send: an image or file of `POST /v1/media` (see
   * `MediaUploader`), a text with `replyTo: { seq }`. Kept in the outbox and
   * retried exactly like `send`; the server checks the body (a media body must
   * name the sender's own upload).
   */
  sendBody(conversationId: string, body: ClientBody): SendHandle {
    return this.parts.sends.sendBody(conversationId, body);
  }

  /**
   * Recall a message (protocol 1.1): queued in the outbox like a send, so it is sent
   * once even from offline. Its ack is the recall message; when it arrives, the
   * original becomes a tombstone (`recalled` event). A recall the server refuses
   * (past the window: `forbidden`) fails like a send (`sendFailed`).
   */
  recall(conversationId: string, messageId: string): SendHandle {
    return this.parts.sends.recall(conversationId, messageId);
  }

  /** Put a failed outbox entry back in the queue. Undefined when no failed entry has that id. */
  retry(clientMsgId: string): SendHandle | undefined {
    return this.parts.sends.retry(clientMsgId);
  }

  /** Remove an entry from the outbox; a pending `done` rejects with code `closed`. A send already in flight may still be stored. */
  discard(clientMsgId: string): boolean {
    return this.parts.sends.discard(clientMsgId);
  }

  /** Move this user's read cursor (sent now if online, else after the next connect; only the highest counts). */
  markRead(conversationId: string, seq: number): void {
    this.parts.inbox.noteOwnRead(conversationId, seq);
    this.parts.reads.mark(conversationId, seq);
  }

  /** Tell the others this user is typing (throttled; dropped while offline). */
  typing(conversationId: string): void {
    this.parts.typing.typing(conversationId);
  }

  /** Fetch up to `limit` messages older than the oldest known one; returns them ascending (also added to `messages()`). */
  loadOlder(conversationId: string, limit?: number): Promise<Message[]> {
    return this.parts.inbox.loadOlder(conversationId, limit);
  }

  /** Whether older messages than the loaded ones may exist. */
  hasOlder(conversationId: string): boolean {
    return this.parts.inbox.hasOlder(conversationId);
  }

  /** Fetch the conversation list from the server (also done after every connect); most recent first. */
  listConversations(): Promise<Conversation[]> {
    return this.parts.inbox.listConversations();
  }

  /** The direct conversation with `peerId` (created once; asking again returns the same one). */
  async createDirect(peerId: string): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.createDirect(peerId));
  }

  async createGroup(title: string, memberIds: readonly string[]): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.createGroup(title, memberIds));
  }

  async addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.addMembers(conversationId, userIds));
  }

  /**
   * Changes the user's own settings of a conversation (pinned first in the list,
   * notifications muted, a draft). Every connection of the user hears it (`conversation`).
   */
  async updateSettings(conversationId: string, patch: SettingsRequest): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.updateSettings(conversationId, patch));
  }

  /** Changes the user's name and/or avatar; the directory and `user` listeners hear it at once. */
  async updateProfile(patch: UpdateProfileRequest): Promise<User> {
    const user = await this.parts.rest.updateProfile(patch);
    this.parts.people.learnUser(user);
    return user;
  }

  /** Accepts an invite: the group joined, or the direct conversation with the inviter. */
  async acceptInvite(code: string): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.acceptInvite(code));
  }

  /** Blocks a user: they can no longer send to this user directly, start a direct conversation or add them to a group. */
  block(userId: string): Promise<Block> {
    return this.parts.rest.block(userId);
  }

  unblock(userId: string): Promise<void> {
    return this.parts.rest.unblock(userId);
  }

  /** The users this user blocked, newest first. */
  blocks(): Promise<Block[]> {
    return this.parts.rest.listBlocks();
  }

  /** Reports a conversation (and maybe one message or member of it) to the operator. */
  report(report: ReportRequest): Promise<{ id: string; createdAt: number }> {
    return this.parts.rest.report(report);
  }

  /** Known conversations, most recent activity first. */
  conversations(): Conversation[] {
    return this.parts.inbox.conversations();
  }

  conversation(conversationId: string): Conversation | undefined {
    return this.parts.inbox.conversation(conversationId);
  }

  /** The loaded messages of a conversation, ascending by seq, without holes or duplicates. */
  messages(conversationId: string): readonly Message[] {
    return this.parts.inbox.messages(conversationId);
  }

  /** Outbox entries (pending and failed), oldest first; of one conversation when given. */
  outbox(conversationId?: string): readonly OutboxEntry[] {
    return this.parts.sends.entries(conversationId);
  }

  /**
   * Every member's known read cursor in a conversation, by user id (a copy).
   * From the server's list and views, then `receipt`s and members' own messages;
   * forward only. A member missing from the map has read nothing known (0).
   */
  readSeqsOf(conversationId: string): Map<string, number> {
    return this.parts.inbox.readSeqsOf(conversationId);
  }

  /** The highest seq `userId` is known to have read in the conversation (0 when unknown). */
  readSeqOf(conversationId: string, userId: string): number {
    return this.parts.inbox.readSeqOf(conversationId, userId);
  }

  /** Last known presence of a user (false when unknown). */
  isOnline(userId: string): boolean {
    return this.parts.people.isOnline(userId);
  }
}
