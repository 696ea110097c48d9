import type { Registry } from "prom-client";
import type { ContentCheck } from "../chat/content-check";
import { ContentGuard } from "../chat/content-guard";
import type { WeChatCredentials } from "../wechat/wechat-credentials";
import type { ContentConfig } from "./content-config";
import { ContentMetrics } from "./content-metrics";
import { WebhookContentCheck } from "./webhook-content-check";
import { WeChatContentCheck } from "./wechat-content-check";
import { WordList } from "./word-list";

export interface ContentGuardParts {
  credentials: WeChatCredentials | undefined;
  registry: Registry;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/** The guard CONTENT_CHECK and CONTENT_WORDLIST describe (reads the word list: call once, at start). */
export async function openContentGuard(config: ContentConfig, parts: ContentGuardParts): Promise<ContentGuard> {
  const wordList = config.wordListPath === undefined ? undefined : await WordList.load(config.wordListPath);
  let remote: ContentCheck | undefined;
  if (config.mode === "wechat") {
    if (!parts.credentials) throw new Error("CONTENT_CHECK=wechat needs WECHAT_APPID and WECHAT_SECRET");
    remote = new WeChatContentCheck(parts.credentials);
  } else if (config.mode === "webhook" && config.webhookUrl !== undefined) {
    remote = new WebhookContentCheck(config.webhookUrl, config.timeoutMs);
  }
  parts.log.info(
    { contentCheck: config.mode, wordListEntries: wordList?.words.length ?? 0 },
    "content checks configured",
  );
  return new ContentGuard({
    ...(wordList ? { wordList } : {}),
    ...(remote ? { remote } : {}),
    review: config.review,
    onError: config.onError,
    timeoutMs: config.timeoutMs,
    metrics: new ContentMetrics(parts.registry),
    log: parts.log,
  });
}
