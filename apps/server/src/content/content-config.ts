import * as path from "node:path";
import * as v from "valibot";

/** Which remote check runs after the word list (CONTENT_CHECK). */
export type ContentCheckMode = "wechat" | "webhook" | "off";

/** The content-check part of the configuration (config.ts spreads these entries into its schema). */
export interface ContentConfig {
  mode: ContentCheckMode;
  /** CONTENT_CHECK_WEBHOOK_URL, set exactly when `mode` is `webhook`. */
  webhookUrl: string | undefined;
  /** CONTENT_WORDLIST: absolute path of the local word list, read at start. */
  wordListPath: string | undefined;
  /** What a `review` verdict does: allowed (and logged) or refused like `reject`. */
  review: "allow" | "reject";
  /** What a check that fails or is too slow does: the send answers `unavailable` (retry), or the content passes. */
  onError: "retry" | "allow";
  timeoutMs: number;
}

export const ContentEnvSchema = v.object({
  CONTENT_CHECK: v.optional(v.picklist(["wechat", "webhook", "off"], "must be wechat, webhook or off")),
  CONTENT_CHECK_WEBHOOK_URL: v.optional(
    v.pipe(v.string(), v.url("must be a URL"), v.regex(/^https?:\/\//, "must start with http:// or https://")),
  ),
  CONTENT_WORDLIST: v.optional(v.pipe(v.string(), v.minLength(1))),
  CONTENT_CHECK_REVIEW: v.optional(v.picklist(["allow", "reject"], "must be allow or reject"), "allow"),
  CONTENT_CHECK_ON_ERROR: v.optional(v.picklist(["retry", "allow"], "must be retry or allow"), "retry"),
  CONTENT_CHECK_TIMEOUT_MS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "must be an integer from 100 to 60000"),
      v.transform(Number),
      v.minValue(100, "must be at least 100"),
      v.maxValue(60_000, "must be at most 60000"),
    ),
    "3000",
  ),
});

type ContentEnv = v.InferOutput<typeof ContentEnvSchema>;

/**
 * The content-check settings, checked together: `wechat` (the default when
 * WeChat credentials are set) needs them, `webhook` needs its URL, and a
 * webhook URL without `webhook` is a mistake worth stopping for.
 */
export function contentConfigOf(e: ContentEnv, hasWeChat: boolean, fail: (message: string) => Error): ContentConfig {
  const mode: ContentCheckMode = e.CONTENT_CHECK ?? (hasWeChat ? "wechat" : "off");
  if (mode === "wechat" && !hasWeChat) {
    throw fail("CONTENT_CHECK: wechat needs WECHAT_APPID and WECHAT_SECRET (msg_sec_check uses the access_token)");
  }
  if (mode === "webhook" && !e.CONTENT_CHECK_WEBHOOK_URL) {
    throw fail("CONTENT_CHECK_WEBHOOK_URL: required when CONTENT_CHECK=webhook");
  }
  if (mode !== "webhook" && e.CONTENT_CHECK_WEBHOOK_URL) {
    throw fail(`CONTENT_CHECK_WEBHOOK_URL: only used with CONTENT_CHECK=webhook (CONTENT_CHECK is ${mode})`);
  }
  return {
    mode,
    webhookUrl: e.CONTENT_CHECK_WEBHOOK_URL,
    wordListPath: e.CONTENT_WORDLIST === undefined ? undefined : path.resolve(e.CONTENT_WORDLIST),
    review: e.CONTENT_CHECK_REVIEW,
    onError: e.CONTENT_CHECK_ON_ERROR,
    timeoutMs: e.CONTENT_CHECK_TIMEOUT_MS,
  };
}
