import { MediaCheckUrls } from "../auth/media-check-urls";
import type { TokenSecrets } from "../auth/tokens";
import type { MediaCheckStore } from "../store/media-check-records";
import type { WeChatCredentials } from "../wechat/wechat-credentials";
import { type MediaCheck, noMediaCheck, WeChatMediaCheck } from "./media-check-async";

export interface MediaCheckParts {
  /** Of the Config (not imported: config.ts builds on media/, so media/ names only what it reads). */
  config: { content: { mode: string }; publicBaseUrl?: string | undefined };
  credentials: WeChatCredentials | undefined;
  secrets: TokenSecrets;
  store: MediaCheckStore;
  now: () => number;
  log: { warn(obj: object, msg: string): void; warn(msg: string): void };
}

/**
 * The media check of the configuration: WeChat's media_check_async when WeChat
 * credentials are set, CONTENT_CHECK is not `off` and PUBLIC_BASE_URL says where
 * WeChat can fetch the media; otherwise none. `urls` is what the download route
 * accepts from WeChat (absent: no check URL is accepted).
 */
export function openMediaCheck(parts: MediaCheckParts): { check: MediaCheck; urls?: MediaCheckUrls } {
  const { config, credentials } = parts;
  if (!credentials || config.content.mode === "off") return { check: noMediaCheck };
  if (config.publicBaseUrl === undefined) {
    parts.log.warn("PUBLIC_BASE_URL is not set: images and voice are not sent to WeChat's media check");
    return { check: noMediaCheck };
  }
  const urls = new MediaCheckUrls(parts.secrets, config.publicBaseUrl, parts.now);
  const check = new WeChatMediaCheck({
    credentials,
    store: parts.store,
    urlOf: (mediaId) => urls.urlOf(mediaId),
    now: parts.now,
    log: parts.log,
  });
  return { check, urls };
}
