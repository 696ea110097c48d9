import {
  type Conversation,
  type ConversationFrame,
  type ConversationRemovedFrame,
  type ErrorFrame,
  Limits,
  type Message,
  type MessageFrame,
  type ReceiptFrame,
  type TypingEventFrame,
} from "@mpchat/protocol";
import { retryDelayMs } from "./backoff";
import type { Connection } from "./connection";
import { ConversationDirectory } from "./conversation-directory";
import { ChatError } from "./errors";
import type { ChatEmit } from "./events";
import { MemberReadCursors } from "./member-read-cursors";
import type { ResolvedOptions } from "./options";
import type { RestApi } from "./rest-api";
import { Synchronizer } from "./synchronizer";

export type InboxSettings = Pick<
  ResolvedOptions,
  "timers" | "random" | "backoff" | "initialHistory" | "syncPageSize"
> & {
  rest: RestApi;
  /** The authenticated connection, if any (syncs go over it). */
  connection(): Connection | null;
  /** The authenticated user, once known. */
  userId(): string | undefined;
  /** True between `ready` and the loss of that connection: a conversation learnt then is synced at once. */
  online(): boolean;
  emit: ChatEmit;
};

/**
 * What the client knows of its conversations, and how news from the server
 * (pushes, acks, sync pages, REST answers) gets into it: conversations and
 * their timelines, every member's read cursor. It raises the events of that
 * state: `message`, `conversation`, `receipt`, `typing`, `recovered`, and
 * `error` for pushed errors and failed syncs. (People: presence, profiles.)
 */
export class Inbox {
  private readonly directory: ConversationDirectory;
  private readonly memberReads = new MemberReadCursors();
  private readonly sync: Synchronizer;
  private refreshing: Promise<Conversation[]> | null = null;
  /** Conversations the user was removed from, until the server lists them again. */
  private readonly removed = new Set<string>();

  constructor(private readonly settings: InboxSettings) {
    const { emit, random, backoff } = settings;
    this.directory = new ConversationDirectory(settings.initialHistory);
    this.sync = new Synchronizer({
      connection: settings.connection,
      timeline: (id) => this.directory.ensureTimeline(id, this.directory.get(id)?.lastSeq ?? 0),
      knownLastSeq: (id) => this.directory.get(id)?.lastSeq ?? 0,
      deliver: (id, messages) => this.deliver(id, messages),
      onRecovered: (event) => emit("recovered", event),
      onError: (error) => emit("error", error),
      retryDelayMs: (attempt) => retryDelayMs(attempt, random, backoff),
      timers: settings.timers,
      pageSize: settings.syncPageSize,
      parallel: 4,
    });
  }

  onMessage(frame: MessageFrame): void {
    this.deliver(frame.conversationId, [frame.message]);
  }

  onReceipt(frame: ReceiptFrame): void {
    const me = this.settings.userId();
    this.memberReads.note(frame.conversationId, frame.userId, frame.seq);
    if (frame.userId === me) {
      const changed = this.directory.noteOwnRead(frame.conversationId, frame.seq, me);
      if (changed) this.settings.emit("conversation", changed);
    }
    this.settings.emit("receipt", { conversationId: frame.conversationId, userId: frame.userId, seq: frame.seq });
  }

  onTyping(frame: TypingEventFrame): void {
    if (frame.userId !== this.settings.userId()) {
      this.settings.emit("typing", { conversationId: frame.conversationId, userId: frame.userId });
    }
  }

  onConversation(frame: ConversationFrame): void {
    this.absorb(frame.conversation);
  }

  /**
   * Removed from a group (or left it): it leaves the directory and stops syncing.
   * Anything of it still on its way (a push sent before the removal) is dropped
   * until the server names the user a member again (`conversation`).
   */
  onConversationRemoved(frame: ConversationRemovedFrame): void {
    this.removed.add(frame.conversationId);
    this.sync.stop(frame.conversationId);
    this.directory.remove(frame.conversationId);
    this.memberReads.forget(frame.conversationId);
    this.settings.emit("conversationRemoved", { conversationId: frame.conversationId, reason: frame.reason });
  }

  onError(frame: ErrorFrame): void {
    this.settings.emit("error", new ChatError(frame.code, frame.message));
  }

  /**
   * The one way messages reach the application: through the timeline, which
   * holds back anything beyond a hole and drops what it has seen.
   */
  deliver(conversationId: string, messages: readonly Message[]): Message[] {
    if (this.removed.has(conversationId)) return [];
    const me = this.settings.userId();
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
      // Sending moves the sender's read cursor to their message (docs/protocol.md).
      this.memberReads.note(conversationId, message.senderId, message.seq);
      changed = this.directory.noteMessage(message, me) ?? changed;
      this.settings.emit("message", message);
      // A recall turns its target into a tombstone in place (or whenever the target arrives).
      const recalled = timeline.applyRecall(message);
      if (recalled) {
        changed = this.directory.noteRecalled(recalled.message, me) ?? changed;
        this.settings.emit("recalled", { conversationId, ...recalled });
      }
    }
    if (changed) this.settings.emit("conversation", changed);
    if (timeline.hasGap) this.sync.request(conversationId);
    return delivered;
  }

  /** Merge the server's view of a conversation (list, REST answer, push); returns the merged one. */
  absorb(server: Conversation): Conversation {
    const me = this.settings.userId();
    // The server names the user a member (again): a removal before this is over.
    this.removed.delete(server.id);
    // Before the event, so that a handler reading readSeqsOf sees the new cursors.
    this.memberReads.learn(server);
    if (me !== undefined) this.memberReads.note(server.id, me, server.readSeq);
    const merged = this.directory.upsert(server, me);
    this.settings.emit("conversation", merged);
    if (this.settings.online()) this.syncIfBehind(server.id);
    return merged;
  }

  /** Fetch the conversation list (one request at a time; callers meanwhile share it); most recent first. */
  listConversations(): Promise<Conversation[]> {
    if (!this.refreshing) {
      const finish = () => {
        this.refreshing = null;
      };
      this.refreshing = this.settings.rest.listConversations().then((list) => {
        for (const conversation of list) this.absorb(conversation);
        return this.directory.list();
      });
      this.refreshing.then(finish, finish);
    }
    return this.refreshing;
  }

  /** Sync every known conversation that may lack messages (after the list of a new connection). */
  syncAllBehind(): void {
    for (const conversationId of this.directory.ids()) this.syncIfBehind(conversationId);
  }

  /** This user moved their own read cursor. */
  noteOwnRead(conversationId: string, seq: number): void {
    const me = this.settings.userId();
    if (me !== undefined) this.memberReads.note(conversationId, me, seq);
    const changed = this.directory.noteOwnRead(conversationId, seq, me);
    if (changed) this.settings.emit("conversation", changed);
  }

  async loadOlder(conversationId: string, limit: number = Limits.DEFAULT_HISTORY_LIMIT): Promise<Message[]> {
    const timeline = this.directory.ensureTimeline(conversationId, this.directory.get(conversationId)?.lastSeq ?? 0);
    const beforeSeq = timeline.oldestSeq;
    if (beforeSeq <= 1) return [];
    const page = await this.settings.rest.history(conversationId, { beforeSeq, limit });
    return timeline.prepend(page.messages);
  }

  hasOlder(conversationId: string): boolean {
    const timeline = this.directory.timeline(conversationId);
    return timeline ? timeline.oldestSeq > 1 : (this.directory.get(conversationId)?.lastSeq ?? 0) > 0;
  }

  conversations(): Conversation[] {
    return this.directory.list();
  }

  conversation(conversationId: string): Conversation | undefined {
    return this.directory.get(conversationId);
  }

  messages(conversationId: string): readonly Message[] {
    return this.directory.timeline(conversationId)?.messages ?? [];
  }

  readSeqsOf(conversationId: string): Map<string, number> {
    return this.memberReads.readSeqsOf(conversationId);
  }

  readSeqOf(conversationId: string, userId: string): number {
    return this.memberReads.readSeq(conversationId, userId);
  }

  private syncIfBehind(conversationId: string): void {
    const conversation = this.directory.get(conversationId);
    const timeline = this.directory.timeline(conversationId);
    if (!conversation || !timeline) return;
    if (timeline.hasGap || timeline.contiguousSeq < conversation.lastSeq) this.sync.request(conversationId);
  }
}
