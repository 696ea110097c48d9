import { WECHAT_ID_PREFIX } from "../auth/login";
import type { MediaCheckStore } from "../store/media-check-records";
import type { MediaRecord } from "../store/profile-records";
import type { WeChatCredentials } from "../wechat/wechat-credentials";

/**
 * The MediaCheck port: an uploaded image or voice is handed to a remote check
 * after the upload has answered; the verdict comes later (`POST /v1/wechat/events`,
 * MediaVerdicts). `submit` never throws and never delays its caller.
 */
export interface MediaCheck {
  readonly active: boolean;
  submit(media: MediaRecord): void;
  /** Resolves once every submission so far has its trace_id stored (or failed): shutdown, tests. */
  settled(): Promise<void>;
}

/** No remote media check (no WeChat credentials, CONTENT_CHECK=off, or no PUBLIC_BASE_URL). */
export const noMediaCheck: MediaCheck = { active: false, submit: () => {}, settled: () => Promise.resolve() };

/** media_check_async's media_type (WECHAT.md): 1 audio, 2 image. */
const MEDIA_TYPE = { image: 2, voice: 1 } as const;
/** Scene 2 (comment): an upload is a chat message's or an avatar's; the chat is the usual one. */
const SCENE = 2;

export interface WeChatMediaCheckOptions {
  credentials: Pick<WeChatCredentials, "post">;
  store: Pick<MediaCheckStore, "recordMediaCheck">;
  /** The URL WeChat fetches the media from (MediaCheckUrls.urlOf). */
  urlOf: (mediaId: string) => string;
  now: () => number;
  log: { warn(obj: object, msg: string): void };
}

/**
 * WeChat's async media check (`media_check_async` v2) with the uploader's
 * openid; the trace_id it answers is stored with the media id, so that the
 * verdict finds its media on any instance and after a restart. Files are not
 * checked (WeChat checks images and audio only); neither are uploads of users
 * without an openid (dev login).
 */
export class WeChatMediaCheck implements MediaCheck {
  readonly active = true;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: WeChatMediaCheckOptions) {}

  submit(media: MediaRecord): void {
    if (media.kind === "file" || !media.uploaderId.startsWith(WECHAT_ID_PREFIX)) return;
    const task = this.check(media, MEDIA_TYPE[media.kind]).catch((err: unknown) =>
      this.options.log.warn({ err, mediaId: media.id }, "media_check_async failed: the media stays unchecked"),
    );
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async check(media: MediaRecord, mediaType: 1 | 2): Promise<void> {
    const answer = await this.options.credentials.post("/wxa/media_check_async", {
      version: 2,
      openid: media.uploaderId.slice(WECHAT_ID_PREFIX.length),
      scene: SCENE,
      media_url: this.options.urlOf(media.id),
      media_type: mediaType,
    });
    const traceId = answer.trace_id;
    if (typeof traceId !== "string" || traceId === "") throw new Error("media_check_async answered without trace_id");
    await this.options.store.recordMediaCheck({ traceId, mediaId: media.id, createdAt: this.options.now() });
  }
}
