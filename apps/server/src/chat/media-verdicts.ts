import type { Store } from "../store/store";
import type { MessageService } from "./messages";
import type { ProfileService } from "./profiles";

/** The parts of a `wxa_media_check` event that decide (WECHAT.md). */
export interface MediaVerdict {
  traceId: string;
  suggest: string;
}

export interface MediaVerdictsDeps {
  store: Pick<Store, "findMediaCheck" | "deleteMediaCheck" | "findMedia" | "messagesShowingMedia">;
  messages: Pick<MessageService, "recallByModeration">;
  profiles: Pick<ProfileService, "resetAvatar">;
  /** Deletes the media now unless still referenced (MediaCollector.releaseNow). */
  releaseMedia: (mediaId: string) => Promise<unknown>;
  log: { info(obj: object, msg: string): void };
}

/**
 * What an async media check's verdict does. `risky`: every message showing the
 * media becomes `recalled` by `moderation` (a recall message in each stream,
 * through the chat layer: pushed like any recall), an avatar that is that media
 * is cleared (a `user` push to those who see the user), and the media is
 * deleted. Any other verdict changes nothing. The pending check is forgotten
 * after it is settled; an unknown trace_id (settled before, or never ours) is
 * ignored, so WeChat's repeats of an event are harmless.
 */
export class MediaVerdicts {
  constructor(private readonly deps: MediaVerdictsDeps) {}

  async settle(verdict: MediaVerdict): Promise<void> {
    const { store, log } = this.deps;
    const check = await store.findMediaCheck(verdict.traceId);
    if (!check) return;
    if (verdict.suggest === "risky") {
      const media = await store.findMedia(check.mediaId);
      if (media) {
        // The avatar first: the recalls' media release then finds nothing that keeps it.
        const avatar = await this.deps.profiles.resetAvatar(media.uploaderId, media.id);
        const shown = await store.messagesShowingMedia(media.uploaderId, media.id);
        for (const message of shown) await this.deps.messages.recallByModeration(message.id);
        await this.deps.releaseMedia(media.id);
        log.info(
          { mediaId: media.id, traceId: verdict.traceId, recalled: shown.length, avatar },
          "a risky media was removed (wxa_media_check)",
        );
      }
    }
    await store.deleteMediaCheck(verdict.traceId);
  }
}
