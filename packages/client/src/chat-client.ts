import {
  type AckFrame,
  assertNever,
  type Conversation,
  codePointLength,
  Limits,
  type Message,
  type ReadyFrame,
  type ServerFrame,
  type UpdateProfileRequest,
  type User,
} from "@mpchat/protocol";
import { memoryStorage } from "./adapters/storages";
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from "./backoff";
import type { Connection } from "./connection";
import { ConnectionKeeper } from "./connection-keeper";
import { ConversationDirectory } from "./conversation-directory";
import { Emitter } from "./emitter";
import { ChatError, SendFailedError } from "./errors";
import type { ChatEventHandler, ChatEventName, ChatEvents, ConnectionState } from "./events";
import { ClientMsgIdMaker } from "./ids";
import { MemberReadCursors } from "./member-read-cursors";
import type { ChatClientOptions } from "./options";
import { Outbox } from "./outbox";
import type { OutboxEntry } from "./outbox-entry";
import { OutboxSender } from "./outbox-sender";
import { systemTimers, type Timers } from "./ports/timers";
import { ReadCursors } from "./read-cursors";
import { RestApi } from "./rest-api";
import { Synchronizer } from "./synchronizer";
import { TokenRefresher } from "./token-refresher";
import { UserDirectory } from "./user-directory";

/** What `send()` returns: the message's client id at once, and its fate later. */
export interface SendHandle {
  clientMsgId: string;
  /**
   * Settles exactly once: resolves with the stored message when the server
   * acknowledges it (after any number of retries, across reconnects), rejects
   * with a SendFailedError when it is refused for good. Never rejects for
   * network trouble: those sends stay in the outbox and are retried.
   */
  done: Promise<Message>;
}

interface Waiter {
  resolve(message: Message): void;
  reject(error: SendFailedError): void;
}

/**
 * The mpchat client: one WebSocket, kept alive; every message once, in order;
 * an outbox that survives restarts. See README.md for the guarantees.
 */
export class ChatClient {
  private readonly events = new Emitter<ChatEvents>();
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffOptions;
  private readonly rest: RestApi;
  private readonly ids: ClientMsgIdMaker;
  private readonly keeper: ConnectionKeeper;
  private readonly directory: ConversationDirectory;
  private readonly outboxStore: Outbox;
  private readonly sender: OutboxSender;
  private readonly sync: Synchronizer;
  private readonly waiters = new Map<string, Waiter>();
  private readonly presence = new Map<string, boolean>();
  private readonly reads: ReadCursors;
  private readonly memberReads = new MemberReadCursors();
  private readonly typingSentAt = new Map<string, number>();
  /** Names and avatars of the people the user sees, kept fresh by `user` pushes. */
  readonly users: UserDirectory;
  private currentState: ConnectionState = "offline";
  private me: string | undefined;
  /** Generation of the authenticated connection, 0 while there is none. */
  private onlineGeneration = 0;
  private refreshing: Promise<Conversation[]> | null = null;
  private readonly tokens: TokenRefresher;

  constructor(private readonly options: ChatClientOptions) {
    const { token, getToken } = options;
    if (token === undefined && getToken === undefined) throw new Error("ChatClient needs token or getToken");
    this.timers = options.timers ?? systemTimers;
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.tokens = new TokenRefresher(
      {
        initial: getToken ?? (() => token as string),
        refresh: () => this.rest.refresh(),
        reauth: async (fresh) => {
          await this.keeper.connection?.request({ type: "auth", token: fresh }, "ready");
        },
        timers: this.timers,
        now: this.now,
        random: this.random,
        backoff: this.backoff,
      },
      {
        onToken: (event) => this.events.emit("token", event),
        onRefused: (message) => this.keeper.refuse(message),
        onError: (error) => this.events.emit("error", error),
      },
    );
    // Every connect and HTTP call takes the freshest token: the refreshed one, else the app's.
    const tokenSource = () => this.tokens.current();
    this.ids = new ClientMsgIdMaker(this.now, this.random);
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.rest = new RestApi({
      httpBase: options.httpBase,
      http: options.http,
      getToken: tokenSource,
      timers: this.timers,
      timeoutMs: requestTimeoutMs,
    });
    this.directory = new ConversationDirectory(options.initialHistory ?? 50);
    this.users = new UserDirectory((ids) => this.rest.getUsers(ids));
    this.outboxStore = new Outbox(options.storage ?? memoryStorage(), options.storageKey ?? "mpchat:outbox", (error) =>
      this.events.emit("error", new ChatError("internal", `outbox storage: ${describe(error)}`)),
    );
    this.sender = new OutboxSender({
      outbox: this.outboxStore,
      timers: this.timers,
      now: this.now,
      random: this.random,
      backoff: this.backoff,
      maxInFlight: options.maxSendsInFlight ?? 16,
      onAcked: (entry, ack) => this.handleAck(entry, ack),
      onFailed: (entry, error) => this.handleSendFailed(entry, error),
    });
    this.sync = new Synchronizer({
      connection: () => this.keeper.connection,
      timeline: (id) => this.directory.ensureTimeline(id, this.directory.get(id)?.lastSeq ?? 0),
      knownLastSeq: (id) => this.directory.get(id)?.lastSeq ?? 0,
      deliver: (id, messages) => this.deliver(id, messages),
      onRecovered: (event) => this.events.emit("recovered", event),
      onError: (error) => this.events.emit("error", error),
      retryDelayMs: (attempt) => retryDelayMs(attempt, this.random, this.backoff),
      timers: this.timers,
      pageSize: Math.min(Math.max(options.syncPageSize ?? Limits.DEFAULT_SYNC_LIMIT, 1), Limits.MAX_PAGE),
      parallel: 4,
    });
    this.keeper = new ConnectionKeeper(
      {
        transport: options.transport,
        url: options.url,
        getToken: tokenSource,
        timers: this.timers,
        random: this.random,
        backoff: this.backoff,
        requestTimeoutMs,
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      },
      {
        onReady: (connection, ready, generation) => this.handleReady(connection, ready, generation),
        onPush: (frame) => this.handlePush(frame),
        onLost: () => this.handleLost(),
        onState: (event) => {
          this.currentState = event.state;
          this.events.emit("state", event);
        },
        onUnauthorized: (message) => {
          // A refused token is not refreshed again; the next connect() asks the app.
          this.tokens.forget();
          this.events.emit("unauthorized", { message });
        },
        onTokenError: (error) => this.events.emit("error", new ChatError("unauthorized", describe(error))),
      },
    );
    this.reads = new ReadCursors(() => this.keeper.connection);
    // Entries a previous client left are visible (and sendable) at once with a synchronous storage.
    if (!this.outboxStore.isLoaded) {
      void this.outboxStore.whenLoaded().then(() => {
        this.events.emit("outbox", this.outboxStore.entries().slice());
        this.sender.pump();
      });
    }
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
    const clientMsgId = this.ids.next();
    const entry: OutboxEntry = {
      clientMsgId,
      conversationId,
      body: { kind: "text", text },
      createdAt: this.now(),
      status: "pending",
      attempts: 0,
    };
    const refusal = checkText(text);
    if (refusal) entry.status = "failed";
    if (refusal) entry.error = { code: refusal.code, message: refusal.message };
    const done = this.wait(clientMsgId);
    const written = this.outboxStore.add(entry);
    this.events.emit("outbox", this.outboxStore.entries().slice());
    if (refusal) {
      // Report after the caller has the handle, as a network refusal would be.
      void Promise.resolve().then(() => this.handleSendFailed(entry, refusal));
    } else {
      this.sender.pump();
      void written.then(() => this.sender.pump());
    }
    return { clientMsgId, done };
  }

  /** Put a failed outbox entry back in the queue. Undefined when no failed entry has that id. */
  retry(clientMsgId: string): SendHandle | undefined {
    const entry = this.outboxStore.get(clientMsgId);
    if (entry?.status !== "failed") return undefined;
    const refusal = checkText(entry.body.text);
    if (refusal) return undefined;
    const done = this.wait(clientMsgId);
    this.outboxStore.update(clientMsgId, { status: "pending", attempts: 0, error: undefined });
    this.events.emit("outbox", this.outboxStore.entries().slice());
    this.sender.pump();
    return { clientMsgId, done };
  }

  /** Remove an entry from the outbox; a pending `done` rejects with code `closed`. A send already in flight may still be stored. */
  discard(clientMsgId: string): boolean {
    const entry = this.outboxStore.remove(clientMsgId);
    if (!entry) return false;
    const waiter = this.waiters.get(clientMsgId);
    this.waiters.delete(clientMsgId);
    waiter?.reject(new SendFailedError("closed", "discarded", clientMsgId, entry.conversationId));
    this.events.emit("outbox", this.outboxStore.entries().slice());
    return true;
  }

  /** Move this user's read cursor (sent now if online, else after the next connect; only the highest counts). */
  markRead(conversationId: string, seq: number): void {
    if (this.me !== undefined) this.memberReads.note(conversationId, this.me, seq);
    const changed = this.directory.noteOwnRead(conversationId, seq, this.me);
    if (changed) this.events.emit("conversation", changed);
    this.reads.mark(conversationId, seq);
  }

  /** Tell the others this user is typing (throttled; dropped while offline). */
  typing(conversationId: string): void {
    const connection = this.keeper.connection;
    if (!connection) return;
    const now = this.now();
    const last = this.typingSentAt.get(conversationId);
    if (last !== undefined && now - last < (this.options.typingThrottleMs ?? 2000)) return;
    this.typingSentAt.set(conversationId, now);
    connection.post({ type: "typing", conversationId });
  }

  /** Fetch up to `limit` messages older than the oldest known one; returns them ascending (also added to `messages()`). */
  async loadOlder(conversationId: string, limit: number = Limits.DEFAULT_HISTORY_LIMIT): Promise<Message[]> {
    const timeline = this.directory.ensureTimeline(conversationId, this.directory.get(conversationId)?.lastSeq ?? 0);
    const beforeSeq = timeline.oldestSeq;
    if (beforeSeq <= 1) return [];
    const page = await this.rest.history(conversationId, { beforeSeq, limit });
    return timeline.prepend(page.messages);
  }

  /** Whether older messages than the loaded ones may exist. */
  hasOlder(conversationId: string): boolean {
    const timeline = this.directory.timeline(conversationId);
    return timeline ? timeline.oldestSeq > 1 : (this.directory.get(conversationId)?.lastSeq ?? 0) > 0;
  }

  /** Fetch the conversation list from the server (also done after every connect); most recent first. */
  listConversations(): Promise<Conversation[]> {
    if (!this.refreshing) {
      const finish = () => {
        this.refreshing = null;
      };
      this.refreshing = this.rest.listConversations().then((list) => {
        for (const conversation of list) this.absorb(conversation);
        return this.directory.list();
      });
      this.refreshing.then(finish, finish);
    }
    return this.refreshing;
  }

  /** The direct conversation with `peerId` (created once; asking again returns the same one). */
  async createDirect(peerId: string): Promise<Conversation> {
    return this.absorb(await this.rest.createDirect(peerId));
  }

  async createGroup(title: string, memberIds: readonly string[]): Promise<Conversation> {
    return this.absorb(await this.rest.createGroup(title, memberIds));
  }

  async addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    return this.absorb(await this.rest.addMembers(conversationId, userIds));
  }

  /** Changes the user's name and/or avatar; the directory and `user` listeners hear it at once. */
  async updateProfile(patch: UpdateProfileRequest): Promise<User> {
    const user = await this.rest.updateProfile(patch);
    if (this.users.learn(user)) this.events.emit("user", user);
    return user;
  }

  /** Accepts an invite: the group joined, or the direct conversation with the inviter. */
  async acceptInvite(code: string): Promise<Conversation> {
    return this.absorb(await this.rest.acceptInvite(code));
  }

  /** Known conversations, most recent activity first. */
  conversations(): Conversation[] {
    return this.directory.list();
  }

  conversation(conversationId: string): Conversation | undefined {
    return this.directory.get(conversationId);
  }

  /** The loaded messages of a conversation, ascending by seq, without holes or duplicates. */
  messages(conversationId: string): readonly Message[] {
    return this.directory.timeline(conversationId)?.messages ?? [];
  }

  /** Outbox entries (pending and failed), oldest first; of one conversation when given. */
  outbox(conversationId?: string): readonly OutboxEntry[] {
    const entries = this.outboxStore.entries().slice();
    return conversationId === undefined ? entries : entries.filter((entry) => entry.conversationId === conversationId);
  }

  /**
   * Every member's known read cursor in a conversation, by user id (a copy).
   * From the server's list and views, then `receipt`s and members' own messages;
   * forward only. A member missing from the map has read nothing known (0).
   */
  readSeqsOf(conversationId: string): Map<string, number> {
    return this.memberReads.readSeqsOf(conversationId);
  }

  /** The highest seq `userId` is known to have read in the conversation (0 when unknown). */
  readSeqOf(conversationId: string, userId: string): number {
    return this.memberReads.readSeq(conversationId, userId);
  }

  /** Last known presence of a user (false when unknown). */
  isOnline(userId: string): boolean {
    return this.presence.get(userId) ?? false;
  }

  private wait(clientMsgId: string): Promise<Message> {
    const done = new Promise<Message>((resolve, reject) => this.waiters.set(clientMsgId, { resolve, reject }));
    // The app may ignore `done`; a failure is also reported through `sendFailed`, so it is never unhandled.
    done.catch(() => undefined);
    return done;
  }

  private handleReady(connection: Connection, ready: ReadyFrame, generation: number): void {
    this.me = ready.userId;
    this.onlineGeneration = generation;
    this.tokens.learnExpiry(ready.tokenExpiresAt);
    this.sender.online(connection);
    this.reads.flushAll();
    void this.restore(generation);
  }

  private handleLost(): void {
    this.onlineGeneration = 0;
    this.sender.offline();
  }

  /** After every (re)connect: learn the conversation list, then sync each conversation that may lack messages. */
  private async restore(generation: number): Promise<void> {
    for (let attempt = 0; this.onlineGeneration === generation; attempt++) {
      try {
        await this.listConversations();
        break;
      } catch (error) {
        const chatError = error instanceof ChatError ? error : new ChatError("network", describe(error));
        if (this.onlineGeneration !== generation) return;
        if (chatError.code === "unauthorized") {
          this.keeper.refuse(chatError.message);
          return;
        }
        this.events.emit("error", chatError);
        await this.delay(retryDelayMs(attempt, this.random, this.backoff));
      }
    }
    if (this.onlineGeneration !== generation) return;
    for (const conversationId of this.directory.ids()) this.syncIfBehind(conversationId);
  }

  private syncIfBehind(conversationId: string): void {
    const conversation = this.directory.get(conversationId);
    const timeline = this.directory.timeline(conversationId);
    if (!conversation || !timeline) return;
    if (timeline.hasGap || timeline.contiguousSeq < conversation.lastSeq) this.sync.request(conversationId);
  }

  private absorb(server: Conversation): Conversation {
    // Before the event, so that a handler reading readSeqsOf sees the new cursors.
    this.memberReads.learn(server);
    if (this.me !== undefined) this.memberReads.note(server.id, this.me, server.readSeq);
    const merged = this.directory.upsert(server, this.me);
    this.events.emit("conversation", merged);
    if (this.onlineGeneration !== 0) this.syncIfBehind(server.id);
    return merged;
  }

  private handlePush(frame: ServerFrame): void {
    switch (frame.type) {
      case "message":
        this.deliver(frame.conversationId, [frame.message]);
        return;
      case "receipt":
        this.memberReads.note(frame.conversationId, frame.userId, frame.seq);
        if (frame.userId === this.me) {
          const changed = this.directory.noteOwnRead(frame.conversationId, frame.seq, this.me);
          if (changed) this.events.emit("conversation", changed);
        }
        this.events.emit("receipt", { conversationId: frame.conversationId, userId: frame.userId, seq: frame.seq });
        return;
      case "typing":
        if (frame.userId !== this.me) {
          this.events.emit("typing", { conversationId: frame.conversationId, userId: frame.userId });
        }
        return;
      case "conversation":
        this.absorb(frame.conversation);
        return;
      case "presence":
        this.presence.set(frame.userId, frame.online);
        this.events.emit("presence", { userId: frame.userId, online: frame.online });
        return;
      case "user":
        if (this.users.learn(frame.user)) this.events.emit("user", frame.user);
        return;
      case "error":
        this.events.emit("error", new ChatError(frame.code, frame.message));
        return;
      case "ready":
      case "ack":
      case "batch":
      case "ok":
      case "pong":
        // Answers to requests that already timed out: nothing waits for them.
        return;
      default:
        assertNever(frame, "server frame type");
    }
  }

  /**
   * The one way messages reach the application: through the timeline, which
   * holds back anything beyond a hole and drops what it has seen.
   */
  private deliver(conversationId: string, messages: readonly Message[]): Message[] {
    let timeline = this.directory.timeline(conversationId);
    const first = messages[0];
    if (!timeline) {
      // First sight of this conversation through a message: start just before it, learn the rest from the list.
      const known = this.directory.get(conversationId)?.lastSeq;
      timeline = this.directory.ensureTimeline(conversationId, known ?? (first ? first.seq - 1 : 0));
    }
    if (!this.directory.get(conversationId)) void this.listConversations().catch(() => undefined);
    const delivered: Message[] = [];
    for (const message of messages) delivered.push(...timeline.accept(message));
    let changed: Conversation | undefined;
    for (const message of delivered) {
      // Sending moves the sender's read cursor to their message (PROTOCOL.md).
      this.memberReads.note(conversationId, message.senderId, message.seq);
      changed = this.directory.noteMessage(message, this.me) ?? changed;
      this.events.emit("message", message);
    }
    if (changed) this.events.emit("conversation", changed);
    if (timeline.hasGap) this.sync.request(conversationId);
    return delivered;
  }

  private handleAck(entry: OutboxEntry, ack: AckFrame): void {
    const message: Message = {
      id: ack.messageId,
      conversationId: ack.conversationId,
      seq: ack.seq,
      senderId: this.me as string,
      clientMsgId: ack.clientMsgId,
      body: entry.body,
      createdAt: ack.createdAt,
    };
    const removed = this.outboxStore.remove(entry.clientMsgId);
    const waiter = this.waiters.get(entry.clientMsgId);
    this.waiters.delete(entry.clientMsgId);
    // The ack names the stored message, so it fills the timeline even when the push is lost.
    this.deliver(ack.conversationId, [message]);
    waiter?.resolve(message);
    if (removed) {
      this.events.emit("sent", { clientMsgId: entry.clientMsgId, message });
      this.events.emit("outbox", this.outboxStore.entries().slice());
    }
  }

  private handleSendFailed(entry: OutboxEntry, error: ChatError): void {
    const failure = new SendFailedError(error.code, error.message, entry.clientMsgId, entry.conversationId);
    const waiter = this.waiters.get(entry.clientMsgId);
    this.waiters.delete(entry.clientMsgId);
    waiter?.reject(failure);
    this.events.emit("sendFailed", { entry: this.outboxStore.get(entry.clientMsgId) ?? entry, error: failure });
    this.events.emit("outbox", this.outboxStore.entries().slice());
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.setTimeout(resolve, ms));
  }
}

/** Refuse what the server would refuse for good, without a round trip. */
function checkText(text: string): ChatError | undefined {
  if (text.length === 0) return new ChatError("bad_request", "text must not be empty");
  if (codePointLength(text) > Limits.MAX_TEXT_CODE_POINTS) {
    return new ChatError("too_large", `text must be at most ${Limits.MAX_TEXT_CODE_POINTS} characters`);
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
