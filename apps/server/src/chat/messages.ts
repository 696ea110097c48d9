import { type Body, Limits, type Message } from "@mpchat/protocol";
import { conflict, forbidden, notFound } from "../app-error";
import type { BusEvent } from "../bus/bus";
import { publishQuietly } from "../bus/publish-quietly";
import type { Page } from "../store/store";
import { directPeerOf, isBlockedBy } from "./blocks";
import { bodyNeedsLookups, resolveBody } from "./body-rules";
import { Coalescer } from "./coalescer";
import type { ChatDeps } from "./deps";
import { type ChatLimits, DEFAULT_CHAT_LIMITS } from "./limits";
import { requireMember } from "./membership";
import { boundPage } from "./page-bound";
import { SendLine } from "./send-line";

type ReceiptEvent = Extract<BusEvent, { type: "receipt" }>;

export interface SendRequest {
  conversationId: string;
  clientMsgId: string;
  body: Body;
}

export interface SendResult {
  message: Message;
  /** True when `(senderId, clientMsgId)` was stored before: nothing new was stored or pushed. */
  duplicate: boolean;
}

export interface HistoryQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
}

/**
 * Message rules: identity comes from the session (`userId`), membership is
 * checked on every call (MembershipCache: a refusal always asks the store), and a send is idempotent on `(senderId, clientMsgId)`.
 */
export class MessageService {
  private readonly typingPushes: Coalescer<BusEvent>;
  private readonly receiptPushes: Coalescer<ReceiptEvent>;
  private readonly maxPageBytes: number;
  private readonly line = new SendLine();

  constructor(
    private readonly deps: ChatDeps,
    limits: ChatLimits = DEFAULT_CHAT_LIMITS,
  ) {
    const push = (event: BusEvent) => publishQuietly(deps, event);
    this.typingPushes = new Coalescer(limits.typingWindowMs, push);
    // The cursor only moves forward: the pending receipt is the furthest one, pushed at the window's end.
    this.receiptPushes = new Coalescer<ReceiptEvent>(limits.receiptWindowMs, push, (pending, next) =>
      pending && pending.seq > next.seq ? pending : next,
    );
    this.maxPageBytes = limits.maxPageBytes;
  }

  /** Pushes the receipts still held by their window (shutdown). */
  flush(): Promise<void> {
    return this.receiptPushes.flush();
  }

  /**
   * Resolves only after the message is committed (durable ack). A text is
   * checked (ContentGuard) before it is stored; checks of concurrent sends run
   * concurrently, and one sender's sends into one conversation are still
   * appended in the order they arrived (SendLine).
   */
  send(senderId: string, request: SendRequest): Promise<SendResult> {
    return this.line.inOrder(
      `${senderId}\n${request.conversationId}`,
      () => this.prepare(senderId, request),
      (prepared) => this.commit(senderId, request, prepared),
    );
  }

  /** Everything a send needs before its append: membership, the content check, the body's lookups. */
  private async prepare(senderId: string, request: SendRequest): Promise<{ memberIds: readonly string[]; body: Body }> {
    const { members, content } = this.deps;
    const conversation = await members.require(request.conversationId, senderId);
    const { body } = request;
    // The block and the content check at once: neither waits for the other.
    await Promise.all([
      this.requireNotBlocked(senderId, conversation),
      body.kind === "text" && content.active
        ? content.require({ kind: "text", text: body.text, userId: senderId, conversationId: conversation.id })
        : undefined,
    ]);
    const resolved = bodyNeedsLookups(body)
      ? await resolveBody(this.deps.store, senderId, request.conversationId, body)
      : body;
    return { memberIds: conversation.memberIds, body: resolved };
  }

  /** In a direct conversation, a sender the peer blocked is refused. */
  private async requireNotBlocked(senderId: string, conversation: { kind: string; memberIds: readonly string[] }) {
    const peer = directPeerOf(conversation, senderId);
    if (peer !== undefined && (await isBlockedBy(this.deps.store, senderId, peer))) {
      throw forbidden("this user blocked you: you cannot send to them");
    }
  }

  /** Appends (the appender is called before the first await: SendLine relies on it) and pushes. */
  private async commit(
    senderId: string,
    request: SendRequest,
    prepared: { memberIds: readonly string[]; body: Body },
  ): Promise<SendResult> {
    const result = await this.deps.appender.append({
      id: this.deps.newId(),
      conversationId: request.conversationId,
      senderId,
      clientMsgId: request.clientMsgId,
      body: prepared.body,
      createdAt: this.deps.now(),
    });
    if (result.status === "not_found") throw notFound("conversation not found");
    if (result.status === "duplicate") {
      if (result.message.conversationId !== request.conversationId) {
        throw conflict("clientMsgId was already used for a message in another conversation");
      }
      return { message: result.message, duplicate: true };
    }
    await publishQuietly(this.deps, {
      type: "message",
      recipients: prepared.memberIds,
      conversationId: request.conversationId,
      message: result.message,
    });
    return { message: result.message, duplicate: false };
  }

  /** Messages after `afterSeq`, ascending. */
  async sync(userId: string, conversationId: string, afterSeq: number, limit?: number): Promise<Page> {
    await this.deps.members.require(conversationId, userId);
    const page = await this.deps.store.listMessages(conversationId, {
      afterSeq,
      limit: limit ?? Limits.DEFAULT_SYNC_LIMIT,
    });
    return boundPage(page, this.maxPageBytes, "oldest");
  }

  /** A page of history: after `afterSeq`, before `beforeSeq`, or the newest page. */
  async history(userId: string, conversationId: string, query: HistoryQuery): Promise<Page> {
    // History needs the conversation's lastSeq, which only the store knows.
    const conversation = await requireMember(this.deps.store, conversationId, userId);
    const limit = query.limit ?? Limits.DEFAULT_HISTORY_LIMIT;
    if (query.afterSeq !== undefined) {
      const page = await this.deps.store.listMessages(conversationId, { afterSeq: query.afterSeq, limit });
      return boundPage(page, this.maxPageBytes, "oldest");
    }
    const beforeSeq = query.beforeSeq ?? conversation.lastSeq + 1;
    const page = await this.deps.store.listMessages(conversationId, { beforeSeq, limit });
    return boundPage(page, this.maxPageBytes, "newest");
  }

  /** Moves the reader's cursor forward; members get a `receipt`. Returns the cursor after. */
  async read(userId: string, conversationId: string, seq: number): Promise<number> {
    const conversation = await this.deps.members.require(conversationId, userId);
    const cursor = await this.deps.store.markRead(conversationId, userId, seq);
    // The reader's own other connections get it too, so their unread counts follow.
    // Stored every time; pushed at most once per window, the latest cursor last.
    await this.receiptPushes.submit(`${userId}\n${conversationId}`, {
      type: "receipt",
      recipients: conversation.memberIds,
      conversationId,
      userId,
      seq: cursor,
    });
    return cursor;
  }

  /** Tells the other members that `userId` is typing. Nothing is stored. */
  async typing(userId: string, conversationId: string): Promise<void> {
    const conversation = await this.deps.members.require(conversationId, userId);
    const recipients = conversation.memberIds.filter((member) => member !== userId);
    if (recipients.length === 0) return;
    // A blocker hears nothing from the blocked user in their direct conversation, typing included.
    const peer = directPeerOf(conversation, userId);
    if (peer !== undefined && (await isBlockedBy(this.deps.store, userId, peer))) return;
    // The first of a burst is pushed; the rest of its window is dropped (typing is a hint).
    await this.typingPushes.submit(`${userId}\n${conversationId}`, {
      type: "typing",
      recipients,
      conversationId,
      userId,
    });
  }
}
