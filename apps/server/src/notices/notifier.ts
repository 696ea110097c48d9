import type { Message } from "@mpchat/protocol";
import { WECHAT_ID_PREFIX } from "../auth/login";
import { WeChatUnavailableError } from "../auth/wechat-api";
import type { NoticeStore } from "../store/notice-records";
import type { Store } from "../store/store";
import { WeChatCallError } from "../wechat/wechat-credentials";
import type { NoticeConfig } from "./notice-config";
import { noticeData } from "./notice-fields";
import type { NoticeMetrics, NoticeResult } from "./notice-metrics";
import type { NoticeMutes } from "./notice-mutes";

/** WeChat: the user refused, or has no one-time acceptance left. */
export const ERRCODE_NO_SUBSCRIPTION = 43101;

export const SUBSCRIBE_SEND_API = "/cgi-bin/message/subscribe/send";

/** Who has a live connection, on any instance. */
export interface OnlineLookup {
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
}

export interface NotifierDeps {
  store: NoticeStore & Pick<Store, "getConversation" | "getUser">;
  /** WeChatCredentials.post: the one access_token. */
  wechat: { post(api: string, body: object): Promise<unknown> };
  online: OnlineLookup;
  mutes: NoticeMutes;
  config: NoticeConfig;
  metrics: NoticeMetrics;
  now: () => number;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** The page a notice opens. */
export function noticePage(conversationId: string): string {
  return `pages/chat/chat?id=${encodeURIComponent(conversationId)}`;
}

/**
 * Offline notices (WeChat subscribe messages). Told of every message this
 * instance stored (and published): for each member but the sender who is
 * offline everywhere, has a WeChat openid and a credit, and has not muted the
 * conversation, it claims the notice in the store (the claim row: one instance
 * wins, and it survives restarts) and sends one naming the conversation and a
 * count, never the content. A member's marks are cleared when they are online
 * again (and when they leave), so the next offline spell gets a new notice.
 * A user's claims and clears run one after the other on this instance.
 */
export class Notifier {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: NotifierDeps) {}

  /** A message was stored and published by this instance. Never throws; the work runs in the background. */
  messageStored(recipients: readonly string[], message: Message): void {
    if (!worthANotice(message)) return;
    this.track(this.consider(recipients, message));
  }

  /** This instance saw a user's first connection or last disconnection: a new spell starts. */
  presenceChanged(userId: string): void {
    if (!userId.startsWith(WECHAT_ID_PREFIX)) return;
    this.track(
      this.inTurn(userId, () => this.deps.store.clearNoticeMarks(userId)).catch((error: unknown) =>
        this.deps.log.warn({ err: error, userId }, "notices: marks not cleared"),
      ),
    );
  }

  /** Resolves once every notice in progress is sent or given up (for shutdown and tests). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private async consider(recipients: readonly string[], message: Message): Promise<void> {
    const { store, online, mutes, config, log } = this.deps;
    const { conversationId } = message;
    try {
      // Only WeChat users have an openid to send to.
      const reachable = recipients.filter((id) => id !== message.senderId && id.startsWith(WECHAT_ID_PREFIX));
      if (reachable.length === 0) return;
      const present = await online.onlineAmong(reachable);
      const offline = reachable.filter((id) => !present.has(id));
      if (offline.length === 0) return;
      const candidates = await store.noticeCandidates(conversationId, config.templateId, offline);
      if (candidates.length === 0) return;
      const muted = await mutes.mutedAmong(
        conversationId,
        candidates.map((c) => c.userId),
      );
      const chosen = candidates.filter((c) => !muted.has(c.userId));
      if (chosen.length === 0) return;
      const name = await this.conversationName(message);
      await Promise.all(
        chosen.map((candidate) =>
          this.inTurn(candidate.userId, () =>
            this.notify(candidate.userId, message, name, Math.max(1, message.seq - candidate.readSeq)),
          ),
        ),
      );
    } catch (error) {
      log.warn({ err: error, conversationId, messageId: message.id }, "notices: not considered");
    }
  }

  /** Runs `task` after the user's earlier claims and clears on this instance. */
  private inTurn(userId: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queues.get(userId) ?? Promise.resolve()).then(task, task);
    this.queues.set(userId, next);
    void next
      .catch(() => undefined)
      .then(() => {
        if (this.queues.get(userId) === next) this.queues.delete(userId);
      });
    return next;
  }

  /** A group's title; a direct conversation is named after the sender (the member's other person). */
  private async conversationName(message: Message): Promise<string> {
    const conversation = await this.deps.store.getConversation(message.conversationId);
    if (conversation?.kind === "group" && conversation.title.trim() !== "") return conversation.title;
    const sender = await this.deps.store.getUser(message.senderId);
    return sender?.name ?? conversation?.title ?? "";
  }

  private async notify(userId: string, message: Message, conversation: string, count: number): Promise<void> {
    const { store, wechat, config, metrics, now, log } = this.deps;
    const claim = { userId, conversationId: message.conversationId, templateId: config.templateId };
    if (!(await store.claimNotice({ ...claim, at: now() }))) return;
    const body = {
      touser: userId.slice(WECHAT_ID_PREFIX.length),
      template_id: config.templateId,
      page: noticePage(message.conversationId),
      data: noticeData(config.fields, { conversation, count, at: message.createdAt, hint: config.hint }),
      miniprogram_state: config.state,
      lang: config.lang,
    };
    let result: NoticeResult;
    try {
      await wechat.post(SUBSCRIBE_SEND_API, body);
      result = "sent";
    } catch (error) {
      if (error instanceof WeChatCallError && error.errcode === ERRCODE_NO_SUBSCRIPTION) {
        // The user has no acceptance left (or refused since): none until they accept again. The mark stays.
        await store.zeroNoticeCredits(userId, config.templateId);
        result = "refused";
      } else {
        // Not sent: the credit comes back and the next message may try again.
        await store.releaseNotice(claim);
        result = error instanceof WeChatCallError ? "failed" : "unavailable";
        if (!(error instanceof WeChatUnavailableError)) throw error;
        log.warn({ err: error, userId, conversationId: message.conversationId }, "notices: not sent");
      }
    }
    metrics.counted(result);
  }
}

/** Every message a member did not write is worth one (kinds added later, such as system notes, may opt out here). */
function worthANotice(message: Message): boolean {
  const kind: string = message.body.kind;
  return kind !== "system" && kind !== "recall";
}
