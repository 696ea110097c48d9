import type { Store } from "../store/store";
import type { MediaStore } from "./media-store";

export interface MediaCollectorOptions {
  store: Pick<Store, "unreferencedMedia" | "deleteUnreferencedMedia" | "findMedia">;
  mediaStore: MediaStore;
  now: () => number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** How often it runs (MEDIA_GC_INTERVAL_MS). */
  intervalMs: number;
}

/** PROTOCOL.md: media that nothing references is deleted after 24 h (time for the message that will name it). */
export const UNREFERENCED_MEDIA_TTL_MS = 24 * 60 * 60 * 1000;
/** Rows per batch: one run never holds many records in memory. */
const BATCH = 100;

/**
 * Deletes media that no avatar references (and, with media message bodies, no
 * message) once it is 24 h old: the row first, in one statement that re-checks
 * the references (an avatar set meanwhile keeps it), then its objects. Every step
 * is idempotent, so several instances may run it at once: one of them deletes the
 * row, and deleting objects twice is no error.
 */
export class MediaCollector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: MediaCollectorOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.collect().catch((err: unknown) => this.options.log.warn({ err }, "media collection failed"));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  /** One run (a run already in progress is joined); resolves to how many media it deleted. */
  collect(): Promise<number> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Deletes one media now, whatever its age, unless an avatar or a message still
   * names it (a recalled message's media: PROTOCOL.md "Media"). True when deleted.
   */
  async releaseNow(mediaId: string): Promise<boolean> {
    const { store, mediaStore } = this.options;
    const media = await store.findMedia(mediaId);
    if (!media || !(await store.deleteUnreferencedMedia(media.id))) return false;
    const keys = media.thumbnailKey === undefined ? [media.storageKey] : [media.storageKey, media.thumbnailKey];
    await Promise.all(keys.map((key) => mediaStore.delete(key)));
    return true;
  }

  private async run(): Promise<number> {
    const { store, mediaStore } = this.options;
    const cutoff = this.options.now() - UNREFERENCED_MEDIA_TTL_MS;
    let deleted = 0;
    for (;;) {
      const batch = await store.unreferencedMedia(cutoff, BATCH);
      let progressed = false;
      for (const media of batch) {
        if (!(await store.deleteUnreferencedMedia(media.id))) continue;
        progressed = true;
        deleted++;
        const keys = media.thumbnailKey === undefined ? [media.storageKey] : [media.storageKey, media.thumbnailKey];
        await Promise.all(keys.map((key) => mediaStore.delete(key)));
      }
      // A short batch is the last; a batch of only rows others deleted meanwhile ends the run too.
      if (batch.length < BATCH || !progressed) break;
    }
    if (deleted > 0) this.options.log.info({ deleted }, "collected unreferenced media");
    return deleted;
  }
}
