import type { NoticeSubscription } from "@mpchat/protocol";
import { AppError } from "../app-error";
import type { NoticeStore } from "../store/notice-records";

/**
 * The subscription ledger as users see it: the mini program reports the
 * one-time acceptances `wx.requestSubscribeMessage` gave for the server's notice
 * template; each is one notice the server may send.
 */
export class NoticeSubscriptions {
  constructor(
    private readonly store: Pick<NoticeStore, "addNoticeCredits" | "listNoticeCredits">,
    /** WECHAT_NOTICE_TEMPLATE_ID; undefined: notices are off. */
    private readonly templateId: string | undefined,
  ) {}

  async report(userId: string, templateId: string, accepted: number): Promise<NoticeSubscription> {
    if (this.templateId === undefined) {
      throw new AppError("bad_request", "offline notices are not configured on this server");
    }
    if (templateId !== this.templateId) {
      throw new AppError("bad_request", "templateId is not this server's notice template");
    }
    return { templateId, credits: await this.store.addNoticeCredits(userId, templateId, accepted) };
  }

  /** The server's notice template with the user's credits (0 before any report); empty when notices are off. */
  async list(userId: string): Promise<NoticeSubscription[]> {
    const { templateId } = this;
    if (templateId === undefined) return [];
    const stored = await this.store.listNoticeCredits(userId);
    return [{ templateId, credits: stored.find((s) => s.templateId === templateId)?.credits ?? 0 }];
  }
}
