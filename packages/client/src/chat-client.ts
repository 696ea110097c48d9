import type { Conversation, Message, ReadyFrame, UpdateProfileRequest, User } from "@mpchat/protocol";
import type { Connection } from "./connection";
import { ConnectionKeeper } from "./connection-keeper";
import { Emitter } from "./emitter";
import type { ChatEmit, ChatEventHandler, ChatEventName, ChatEvents, ConnectionState } from "./events";
import { Inbox } from "./inbox";
import { type ChatClientOptions, resolveOptions } from "./options";
import type { OutboxEntry } from "./outbox-entry";
import { routePush } from "./push-router";
import { ReadCursors } from "./read-cursors";
import { RestApi } from "./rest-api";
import { Resumer } from "./resumer";
import { type SendHandle, SendTracker } from "./send-tracker";
import type { TokenRefresher } from "./token-refresher";
import { wireTokens } from "./token-wiring";
import { TypingSender } from "./typing-sender";
import type { UserDirectory } from "./user-directory";

export type { SendHandle } from "./send-tracker";

/**
 * The mpchat client: one WebSocket, kept alive; every message once, in order;
 * an outbox that survives restarts. See README.md for the guarantees, and its
 * "Inside the client" for which part does what: this class only wires them.
 */
export class ChatClient {
  private readonly events = new Emitter<ChatEvents>();
  private readonly rest: RestApi;
  private readonly tokens: TokenRefresher;
  private readonly keeper: ConnectionKeeper;
  private readonly resumer: Resumer;
  private readonly inbox: Inbox;
  private readonly sends: SendTracker;
  private readonly reads: ReadCursors;
  private readonly typingSender: TypingSender;
  /** Names and avatars of the people the user sees, kept fresh by `user` pushes. */
  readonly users: UserDirectory;
  private currentState: ConnectionState = "offline";
  private me: string | undefined;

  constructor(options: ChatClientOptions) {
    const o = resolveOptions(options);
    const emit: ChatEmit = (event, payload) => this.events.emit(event, payload);
    const connection = () => this.keeper.connection;
    const userId = () => this.me;
    const { tokens, keeperHooks } = wireTokens(o, { rest: () => this.rest, keeper: () => this.keeper, emit });
    this.tokens = tokens;
    // Every connect and HTTP call takes the freshest token: the refreshed one, else the app's.
    const getToken = () => this.tokens.current();
    const { httpBase, http, timers, requestTimeoutMs: timeoutMs } = o;
    this.rest = new RestApi({ httpBase, http, getToken, timers, timeoutMs });
    this.inbox = new Inbox({ ...o, rest: this.rest, connection, userId, online: () => this.resumer.online, emit });
    this.users = this.inbox.users;
    this.resumer = new Resumer({ ...o, inbox: this.inbox, refuse: (message) => this.keeper.refuse(message), emit });
    this.sends = new SendTracker({ ...o, userId, emit, deliver: (m) => this.inbox.deliver(m.conversationId, [m]) });
    this.keeper = new ConnectionKeeper(
      { ...o, getToken },
      {
        ...keeperHooks,
        onReady: (conn, ready, generation) => this.handleReady(conn, ready, generation),
        onPush: (frame) => routePush(frame, this.inbox),
        onLost: () => {
          this.resumer.stop();
          this.sends.offline();
        },
        onState: (event) => {
          this.currentState = event.state;
          emit("state", event);
        },
      },
    );
    this.reads = new ReadCursors(connection);
    this.typingSender = new TypingSender({ connection, now: o.now, throttleMs: o.typingThrottleMs });
  }

  /** Subscribe to an event; returns the function that unsubscribes. */
  on<K extends ChatEventName>(event: K, handler: ChatEventHandler<K>): () => void {
    return this.events.on(event, handler);
  }

  /** Start connecting (and keep reconnecting). Also restarts after `close()` or an `unauthorized` stop. */
  connect(): void {
    this.keeper.start();
  }

  /** Close the socket and stop reconnecting. Pending sends stay in the outbox for the next `connect()`. */
  close(): void {
    this.tokens.stop();
    this.keeper.stop();
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
      await this.rest.logout();
    } finally {
      this.tokens.forget();
    }
  }

  /** The app went to the background (mini program `onHide`): close the socket, keep all state. */
  suspend(): void {
    this.keeper.suspend();
  }

  /** The app came back (`onShow`): reconnect at once (no backoff) and resync. */
  resume(): void {
    this.keeper.resume();
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The authenticated user, once the first `ready` arrived. */
  get userId(): string | undefined {
    return this.me;
  }

  /** The REST routes with this client's token (history pages, membership, ...). */
  get api(): RestApi {
    return this.rest;
  }

  /** Send a text. It is written to the outbox (storage) before the network is tried. */
  send(conversationId: string, text: string): SendHandle {
    return this.sends.send(conversationId, text);
  }

  /** Put a failed outbox entry back in the queue. Undefined when no failed entry has that id. */
  retry(clientMsgId: string): SendHandle | undefined {
    return this.sends.retry(clientMsgId);
  }

  /** Remove an entry from the outbox; a pending `done` rejects with code `closed`. A send already in flight may still be stored. */
  discard(clientMsgId: string): boolean {
    return this.sends.discard(clientMsgId);
  }

  /** Move this user's read cursor (sent now if online, else after the next connect; only the highest counts). */
  markRead(conversationId: string, seq: number): void {
    this.inbox.noteOwnRead(conversationId, seq);
    this.reads.mark(conversationId, seq);
  }

  /** Tell the others this user is typing (throttled; dropped while offline). */
  typing(conversationId: string): void {
    this.typingSender.typing(conversationId);
  }

  /** Fetch up to `limit` messages older than the oldest known one; returns them ascending (also added to `messages()`). */
  loadOlder(conversationId: string, limit?: number): Promise<Message[]> {
    return this.inbox.loadOlder(conversationId, limit);
  }

  /** Whether older messages than the loaded ones may exist. */
  hasOlder(conversationId: string): boolean {
    return this.inbox.hasOlder(conversationId);
  }

  /** Fetch the conversation list from the server (also done after every connect); most recent first. */
  listConversations(): Promise<Conversation[]> {
    return this.inbox.listConversations();
  }

  /** The direct conversation with `peerId` (created once; asking again returns the same one). */
  async createDirect(peerId: string): Promise<Conversation> {
    return this.inbox.absorb(await this.rest.createDirect(peerId));
  }

  async createGroup(title: string, memberIds: readonly string[]): Promise<Conversation> {
    return this.inbox.absorb(await this.rest.createGroup(title, memberIds));
  }

  async addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    return this.inbox.absorb(await this.rest.addMembers(conversationId, userIds));
  }

  /** Changes the user's name and/or avatar; the directory and `user` listeners hear it at once. */
  async updateProfile(patch: UpdateProfileRequest): Promise<User> {
    const user = await this.rest.updateProfile(patch);
    this.inbox.learnUser(user);
    return user;
  }

  /** Accepts an invite: the group joined, or the direct conversation with the inviter. */
  async acceptInvite(code: string): Promise<Conversation> {
    return this.inbox.absorb(await this.rest.acceptInvite(code));
  }

  /** Known conversations, most recent activity first. */
  conversations(): Conversation[] {
    return this.inbox.conversations();
  }

  conversation(conversationId: string): Conversation | undefined {
    return this.inbox.conversation(conversationId);
  }

  /** The loaded messages of a conversation, ascending by seq, without holes or duplicates. */
  messages(conversationId: string): readonly Message[] {
    return this.inbox.messages(conversationId);
  }

  /** Outbox entries (pending and failed), oldest first; of one conversation when given. */
  outbox(conversationId?: string): readonly OutboxEntry[] {
    return this.sends.entries(conversationId);
  }

  /**
   * Every member's known read cursor in a conversation, by user id (a copy).
   * From the server's list and views, then `receipt`s and members' own messages;
   * forward only. A member missing from the map has read nothing known (0).
   */
  readSeqsOf(conversationId: string): Map<string, number> {
    return this.inbox.readSeqsOf(conversationId);
  }

  /** The highest seq `userId` is known to have read in the conversation (0 when unknown). */
  readSeqOf(conversationId: string, userId: string): number {
    return this.inbox.readSeqOf(conversationId, userId);
  }

  /** Last known presence of a user (false when unknown). */
  isOnline(userId: string): boolean {
    return this.inbox.isOnline(userId);
  }

  private handleReady(connection: Connection, ready: ReadyFrame, generation: number): void {
    this.me = ready.userId;
    this.tokens.learnExpiry(ready.tokenExpiresAt);
    this.sends.online(connection);
    this.reads.flushAll();
    this.resumer.start(generation);
  }
}
