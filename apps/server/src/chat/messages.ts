import { type Body, type ClientBody, Limits, type Message } from "@mpchat/protocol";
import { badRequest, conflict, forbidden, notFound } from "../app-error";
import type { BusEvent } from "../bus/bus";
import { publishQuietly } from "../bus/publish-quietly";
import type { Page } from "../store/store";
import { directPeerOf, isBlockedBy } from "./blocks";
import { bodyNeedsLookups, checkMentions, resolveBody } from "./body-rules";
import { Coalescer } from "./coalescer";
import type { ChatDeps } from "./deps";
import { type ChatLimits, DEFAULT_CHAT_LIMITS, DEFAULT_RECALL_WINDOW_MS } from "./limits";
import { requireMember } from "./membership";
import type { Members } from "./membership-cache";
import { MODERATION_SENDER } from "./moderation-sender";
import { boundPage } from "./page-bound";
import { mediaOf, planRecall, refuseUnrecallable } from "./recall";
import { SendLine } from "./send-line";
import { refuseSend, refuseTyping } from "./send-rules";

type ReceiptEvent = Extract<BusEvent, { type: "receipt" }>;

export interface SendRequest {
  conversationId: string;
  clientMsgId: string;
  body: ClientBody;
}

/** Deletes a recalled message's media at once (unless an avatar or another message still names it). */
export type MediaReleaser = (mediaId: string) => Promise<void>;

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

/** A send after its checks: what to append, or the answer of a repeated recall. */
type Prepared =
  | { kind: "store"; conversation: Members; body: Body; original?: Message | undefined }
  | { kind: "repeat"; result: SendResult };

/**
 * Message rules: identity comes from the session (`userId`), membership is
 * checked on every call (MembershipCache: a refusal always asks the store), and a send is idempotent on `(senderId, clientMsgId)`.
 */
export class MessageService {
  private readonly typingPushes: Coalescer<BusEvent>;
  private readonly receiptPushes: Coalescer<ReceiptEvent>;
  private readonly maxPageBytes: number;
  readonly recallWindowMs: number;
  private readonly line = new SendLine();

  constructor(
    private readonly deps: ChatDeps,
    limits: ChatLimits = DEFAULT_CHAT_LIMITS,
    private readonly releaseMedia: MediaReleaser = async () => {},
  ) {
    const push = (event: BusEvent) => publishQuietly(deps, event);
    this.typingPushes = new Coalescer(limits.typingWindowMs, push);
    // The cursor only moves forward: the pending receipt is the furthest one, pushed at the window's end.
    this.receiptPushes = new Coalescer<ReceiptEvent>(limits.receiptWindowMs, push, (pending, next) =>
      pending && pending.seq > next.seq ? pending : next,
    );
    this.maxPageBytes = limits.maxPageBytes;
    this.recallWindowMs = limits.recallWindowMs ?? DEFAULT_RECALL_WINDOW_MS;
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
      async (prepared) =>
        prepared.kind === "repeat"
          ? prepared.result
          : this.store(senderId, prepared.conversation, request.clientMsgId, prepared.body, prepared.original),
    );
  }

  /**
   * Everything a send needs before its append: membership and the group's rules, the
   * block and the content check (at once: neither waits for the other), mentions, the
   * body's lookups; for a recall, its plan (or the first recall's ack).
   */
  private async prepare(senderId: string, request: SendRequest): Promise<Prepared> {
    const { content } = this.deps;
    const conversation = await this.requireMember(request.conversationId, senderId);
    refuseSend(conversation, senderId, this.deps.now());
    const { body } = request;
    if (body.kind === "recall") {
      const plan = await planRecall(this.deps.store, senderId, conversation.id, body, {
        windowMs: this.recallWindowMs,
        now: this.deps.now(),
      });
      if (plan.kind === "repeat") return { kind: "repeat", result: { message: plan.first, duplicate: true } };
      return { kind: "store", conversation, body: plan.body, original: plan.original };
    }
    await Promise.all([
      this.requireNotBlocked(senderId, conversation),
      body.kind === "text" ? checkMentions(this.deps.store, conversation, senderId, body) : undefined,
      body.kind === "text" && content.active
        ? content.require({ kind: "text", text: body.text, userId: senderId, conversationId: conversation.id })
        : undefined,
    ]);
    const stored = bodyNeedsLookups(body)
      ? await resolveBody(this.deps.store, senderId, request.conversationId, body)
      : body;
    return { kind: "store", conversation, body: stored };
  }

  /** In a direct conversation, a sender the peer blocked is refused. */
  private async requireNotBlocked(senderId: string, conversation: { kind: string; memberIds: readonly string[] }) {
    const peer = directPeerOf(conversation, senderId);
    if (peer !== undefined && (await isBlockedBy(this.deps.store, senderId, peer))) {
      throw forbidden("this user blocked you: you cannot send to them");
    }
  }

  /**
   * An operator's recall (the admin API's `DELETE /v1/admin/messages/:id`): a recall
   * message from MODERATION_SENDER, `by: "moderation"`, whatever its age. Idempotent:
   * a message already recalled answers with its first recall. Null when there is no
   * such message; `bad_request` for a system or recall message.
   */
  async recallByModeration(messageId: string): Promise<SendResult | null> {
    const original = await this.deps.store.findMessage(messageId);
    if (!original) return null;
    const conversation = await this.deps.store.getConversation(original.conversationId);
    if (!conversation) return null;
    if (original.body.kind === "recalled") {
      const first = await this.deps.store.findRecallOf(original.id);
      if (first) return { message: first, duplicate: true };
    }
    refuseUnrecallable(original.body.kind);
    if (original.body.kind === "recalled") throw badRequest("messageId: the message is already recalled");
    const body = { kind: "recall", messageId: original.id, by: "moderation" } as const;
    return this.store(MODERATION_SENDER, conversation, `recall:${original.id}`, body, original);
  }

  /**
   * Appends one message and pushes it to the members; a recall also releases the original's media.
   * The appender is called before the first await: SendLine relies on it.
   */
  private async store(
    senderId: string,
    conversation: Members,
    clientMsgId: string,
    body: Body,
    recalled?: Message,
  ): Promise<SendResult> {
    const result = await this.deps.appender.append({
      id: this.deps.newId(),
      conversationId: conversation.id,
      senderId,
      clientMsgId,
      body,
      createdAt: this.deps.now(),
    });
    if (result.status === "not_found") throw notFound("conversation not found");
    if (result.status === "duplicate") {
      if (result.message.conversationId !== conversation.id) {
        throw conflict("clientMsgId was already used for a message in another conversation");
      }
      return { message: result.message, duplicate: true };
    }
    await publishQuietly(this.deps, {
      type: "message",
      recipients: conversation.memberIds,
      conversationId: conversation.id,
      message: result.message,
    });
    const mediaId = recalled && mediaOf(recalled);
    if (mediaId !== undefined) {
      await this.releaseMedia(mediaId).catch((err: unknown) =>
        this.deps.log.warn({ err, mediaId }, "could not delete a recalled message's media"),
      );
    }
    return { message: result.message, duplicate: false };
  }

  /** Messages after `afterSeq`, ascending. */
  async sync(userId: string, conversationId: string, afterSeq: number, limit?: number): Promise<Page> {
    await this.requireMember(conversationId, userId);
    const page = await this.deps.store.listMessages(conversationId, {
      afterSeq,
      limit: limit ?? Limits.DEFAULT_SYNC_LIMIT,
    });
    // Removed while the page was read: `conversation_removed` may already be on its way; no page after it.
    this.refuseRemoved(conversationId, userId);
    return boundPage(page, this.maxPageBytes, "oldest");
  }

  /** A page of history: after `afterSeq`, before `beforeSeq`, or the newest page. */
  async history(userId: string, conversationId: string, query: HistoryQuery): Promise<Page> {
    // History needs the conversation's lastSeq, which only the store knows.
    const conversation = await requireMember(this.deps.store, conversationId, userId);
    this.refuseRemoved(conversationId, userId);
    const limit = query.limit ?? Limits.DEFAULT_HISTORY_LIMIT;
    if (query.afterSeq !== undefined) {
      const page = await this.deps.store.listMessages(conversationId, { afterSeq: query.afterSeq, limit });
      this.refuseRemoved(conversationId, userId);
      return boundPage(page, this.maxPageBytes, "oldest");
    }
    const beforeSeq = query.beforeSeq ?? conversation.lastSeq + 1;
    const page = await this.deps.store.listMessages(conversationId, { beforeSeq, limit });
    this.refuseRemoved(conversationId, userId);
    return boundPage(page, this.maxPageBytes, "newest");
  }

  /** Moves the reader's cursor forward; members get a `receipt`. Returns the cursor after. */
  async read(userId: string, conversationId: string, seq: number): Promise<number> {
    const conversation = await this.requireMember(conversationId, userId);
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
    const conversation = await this.requireMember(conversationId, userId);
    refuseTyping(conversation);
    // A blocker hears nothing from the blocked user in their direct conversation, typing included.
    const peer = directPeerOf(conversation, userId);
    if (peer !== undefined && (await isBlockedBy(this.deps.store, userId, peer))) return;
    const recipients = conversation.memberIds.filter((member) => member !== userId);
    if (recipients.length === 0) return;
    // The first of a burst is pushed; the rest of its window is dropped (typing is a hint).
    await this.typingPushes.submit(`${userId}\n${conversationId}`, {
      type: "typing",
      recipients,
      conversationId,
      userId,
    });
  }

  /** Membership (the cache: a refusal always asks the store), and not removed as far as this instance heard. */
  private async requireMember(conversationId: string, userId: string): Promise<Members> {
    const conversation = await this.deps.members.require(conversationId, userId);
    this.refuseRemoved(conversationId, userId);
    return conversation;
  }

  private refuseRemoved(conversationId: string, userId: string): void {
    if (this.deps.removals.isRemoved(conversationId, userId)) throw forbidden("not a member of this conversation");
  }
}
