import type { RestApi } from "@mpchat/client";

/** The parts of `wx` the prompt uses. */
export type NoticePlatform = Pick<WechatMiniprogram.Wx, "requestSubscribeMessage" | "getSetting">;

/** What WeChat remembers of a template after "总是保持以上选择，不再询问" (always keep this choice). */
type AlwaysChoice = "accept" | "reject" | "ban";

/**
 * Asks for offline notices (WeChat subscribe messages) at a natural tap: sending a message.
 * `wx.requestSubscribeMessage` works only inside a tap handler, so everything it needs — the
 * server's template (`GET /v1/notifications/subscriptions`) and what the user chose "always"
 * (`wx.getSetting({ withSubscriptions: true })`, which lists only those templates) — is fetched
 * ahead by `prepare`, and `onTap` decides at once, synchronously:
 * - at most once per session (an app launch);
 * - never after "always reject" (or a banned template, or notices switched off);
 * - after "always accept" WeChat shows no popup and just grants one more notice: still once a session.
 * Each acceptance is reported to the server, which may then send one notice.
 */
export class NoticePrompt {
  private templateIds: string[] = [];
  private always = new Map<string, AlwaysChoice>();
  private switchedOff = false;
  private askedThisSession = false;
  private preparing: Promise<void> | undefined;

  constructor(
    private readonly platform: NoticePlatform,
    private readonly rest: Pick<RestApi, "noticeSubscriptions" | "reportNoticeSubscription">,
    private readonly log: (message: string, error: unknown) => void = () => undefined,
  ) {}

  /** Loads the template and the remembered choices (again after each prompt). Never rejects. */
  prepare(): Promise<void> {
    if (this.preparing) return this.preparing;
    const preparing = Promise.all([this.loadTemplates(), this.loadSettings()]).then(() => {
      this.preparing = undefined;
    });
    this.preparing = preparing;
    return preparing;
  }

  /** The templates a prompt would ask for now (empty: no prompt). */
  get askable(): string[] {
    if (this.switchedOff || this.askedThisSession) return [];
    return this.templateIds.filter((id) => {
      const choice = this.always.get(id);
      return choice !== "reject" && choice !== "ban";
    });
  }

  /** Called first thing in a tap handler. Resolves once the answer was reported (tests wait on it). */
  onTap(): Promise<void> {
    const tmplIds = this.askable;
    if (tmplIds.length === 0) return Promise.resolve();
    this.askedThisSession = true;
    return new Promise<void>((resolve) => {
      this.platform.requestSubscribeMessage({
        tmplIds,
        success: (answer) => {
          const results = answer as unknown as Record<string, string>;
          const accepted = tmplIds.filter((id) => results[id] === "accept");
          void Promise.all(accepted.map((id) => this.report(id)))
            .then(() => this.loadSettings())
            .then(resolve);
        },
        // Cancelled, or an old base library (< 2.4.4): nothing to report; not asked again this session.
        fail: () => resolve(),
      } as WechatMiniprogram.RequestSubscribeMessageOption);
    });
  }

  private async report(templateId: string): Promise<void> {
    try {
      await this.rest.reportNoticeSubscription(templateId, 1);
    } catch (error) {
      this.log("notice subscription not reported", error);
    }
  }

  private async loadTemplates(): Promise<void> {
    try {
      // WeChat asks for at most 3 templates in one prompt.
      this.templateIds = (await this.rest.noticeSubscriptions()).map((s) => s.templateId).slice(0, 3);
    } catch (error) {
      this.log("notice templates not loaded", error);
    }
  }

  private loadSettings(): Promise<void> {
    return new Promise((resolve) => {
      this.platform.getSetting({
        withSubscriptions: true,
        success: (settings) => {
          const subscriptions = settings.subscriptionsSetting;
          this.switchedOff = subscriptions?.mainSwitch === false;
          const items = (subscriptions?.itemSettings ?? {}) as Record<string, unknown>;
          this.always = new Map(
            Object.entries(items).filter((entry): entry is [string, AlwaysChoice] =>
              ["accept", "reject", "ban"].includes(String(entry[1])),
            ),
          );
          resolve();
        },
        fail: () => resolve(),
      });
    });
  }
}
