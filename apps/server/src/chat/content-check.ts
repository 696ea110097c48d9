/** What user-written text is: each kind has its own WeChat scene and its own place in the rules. */
export type ContentKind = "text" | "title" | "announcement" | "name";

/** One piece of user-written text to check before it is stored. */
export interface ContentSubject {
  kind: ContentKind;
  text: string;
  /** The author (their openid, for WeChat, comes from a `wx_` id). */
  userId: string;
  conversationId?: string;
}

export type ContentVerdict = "pass" | "review" | "reject";

/**
 * The ContentCheck port: a verdict on a text, or a ContentCheckUnavailableError
 * when the checker cannot say (down, refused the call, answered nonsense).
 * Adapters (src/content/): the local word list, WeChat msg_sec_check, the
 * operator's webhook; ContentGuard (chat/content-guard.ts) turns verdicts into rules.
 */
export interface ContentCheck {
  /** For logs and metrics: wordlist, wechat, webhook. */
  readonly name: string;
  check(subject: ContentSubject): Promise<ContentVerdict>;
}

export class ContentCheckUnavailableError extends Error {
  override name = "ContentCheckUnavailableError";
}

/** Where ContentGuard counts its checks (content/content-metrics.ts is the prom-client one). */
export interface ContentCheckMetrics {
  /** `outcome`: pass, review, reject, error, timeout; `seconds` for remote checks. */
  checked(check: string, kind: ContentKind, outcome: ContentVerdict | "error" | "timeout", seconds?: number): void;
}
