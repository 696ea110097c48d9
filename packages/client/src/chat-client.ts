import type { Conversation, Message } from "@mpchat/protocol";
import { Emitter } from "./emitter";
import type { ChatEventHandler, ChatEventName, ChatEvents, ConnectionState } from "./events";
import type { ChatClientOptions } from "./options";
import type { OutboxEntry } from "./outbox-entry";

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

/**
 * The mpchat client: one WebSocket, kept alive; every message once, in order;
 * an outbox that survives restarts. See README.md for the guarantees.
 */
export class ChatClient {
  private readonly events = new Emitter<ChatEvents>();

  constructor(readonly options: ChatClientOptions) {}

  /** Subscribe to an event; returns the function that unsubscribes. */
  on<K extends ChatEventName>(event: K, handler: ChatEventHandler<K>): () => void {
    return this.events.on(event, handler);
  }

  /** Start connecting (and keep reconnecting). Also restarts after `close()` or an `unauthorized` stop. */
  connect(): void {
    throw new Error("not implemented yet");
  }

  /** Close the socket and stop reconnecting. Pending sends stay in the outbox for the next `connect()`. */
  close(): void {
    throw new Error("not implemented yet");
  }

  /** The app went to the background (mini program `onHide`): close the socket, keep all state. */
  suspend(): void {
    throw new Error("not implemented yet");
  }

  /** The app came back (`onShow`): reconnect at once (no backoff) and resync. */
  resume(): void {
    throw new Error("not implemented yet");
  }

  /** Current connection state. */
  get state(): ConnectionState {
    return "offline";
  }

  /** The authenticated user, once the first `ready` arrived. */
  get userId(): string | undefined {
    return undefined;
  }

  /** Send a text. It is written to the outbox (storage) before the network is tried. */
  send(conversationId: string, text: string): SendHandle {
    void conversationId;
    void text;
    throw new Error("not implemented yet");
  }

  /** Put a failed outbox entry back in the queue. Undefined when no failed entry has that id. */
  retry(clientMsgId: string): SendHandle | undefined {
    void clientMsgId;
    throw new Error("not implemented yet");
  }

  /** Remove a failed (or pending) entry from the outbox; a pending `done` rejects with code `closed`. */
  discard(clientMsgId: string): boolean {
    void clientMsgId;
    throw new Error("not implemented yet");
  }

  /** Move this user's read cursor (sent now if online, else after the next connect; only the highest counts). */
  markRead(conversationId: string, seq: number): void {
    void conversationId;
    void seq;
    throw new Error("not implemented yet");
  }

  /** Tell the others this user is typing (throttled; dropped while offline). */
  typing(conversationId: string): void {
    void conversationId;
    throw new Error("not implemented yet");
  }

  /** Fetch up to `limit` messages older than the oldest known one; returns them ascending (also added to `messages()`). */
  loadOlder(conversationId: string, limit?: number): Promise<Message[]> {
    void conversationId;
    void limit;
    throw new Error("not implemented yet");
  }

  /** Whether older messages than the loaded ones may exist. */
  hasOlder(conversationId: string): boolean {
    void conversationId;
    return false;
  }

  /** Fetch the conversation list from the server (also done after every connect). */
  listConversations(): Promise<Conversation[]> {
    throw new Error("not implemented yet");
  }

  /** The direct conversation with `peerId` (created once; asking again returns the same one). */
  createDirect(peerId: string): Promise<Conversation> {
    void peerId;
    throw new Error("not implemented yet");
  }

  createGroup(title: string, memberIds: readonly string[]): Promise<Conversation> {
    void title;
    void memberIds;
    throw new Error("not implemented yet");
  }

  addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    void conversationId;
    void userIds;
    throw new Error("not implemented yet");
  }

  /** Known conversations, most recent activity first. */
  conversations(): Conversation[] {
    return [];
  }

  conversation(conversationId: string): Conversation | undefined {
    void conversationId;
    return undefined;
  }

  /** The loaded messages of a conversation, ascending by seq, no gaps after the first, no duplicates. */
  messages(conversationId: string): readonly Message[] {
    void conversationId;
    return [];
  }

  /** Outbox entries (pending and failed), oldest first; of one conversation when given. */
  outbox(conversationId?: string): readonly OutboxEntry[] {
    void conversationId;
    return [];
  }

  /** Last known presence of a user (false when unknown). */
  isOnline(userId: string): boolean {
    void userId;
    return false;
  }
}
