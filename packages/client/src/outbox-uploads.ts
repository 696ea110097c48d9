import { type BackoffOptions, retryDelayMs } from "./backoff";
import { ChatError, type ChatErrorCode, describeError } from "./errors";
import type { ChatEmit } from "./events";
import { bodyFromMedia, hasUploadFile } from "./media-message";
import type { MediaUploader } from "./media-uploader";
import type { Outbox } from "./outbox";
import type { OutboxEntry, OutboxUpload } from "./outbox-entry";
import type { Timers } from "./ports/timers";
import { WakeTimer } from "./wake-timer";

export interface OutboxUploadsSettings {
  outbox: Outbox;
  /** Absent when the app gave no upload port: media entries then wait. */
  uploader: MediaUploader | undefined;
  timers: Timers;
  now: () => number;
  random: () => number;
  backoff: BackoffOptions;
  emit: ChatEmit;
  /** The media is recorded in the entry and its body built: it may be sent now. */
  onUploaded(entry: OutboxEntry): void;
  /** The upload was refused for good; the entry is marked failed already. */
  onFailed(entry: OutboxEntry, error: ChatError): void;
  /** The entry's upload state changed (an `outbox` event is due). */
  onChanged(): void;
}

/** Uploads at once; more wait their turn (a phone's uplink is one pipe). */
const MAX_UPLOADS_AT_ONCE = 2;

/** Upload refusals that end the entry: the same file would be refused again. */
const UPLOAD_REFUSALS: readonly ChatErrorCode[] = ["too_large", "bad_request", "forbidden", "not_found", "conflict"];

/**
 * The first half of a media message's life: the upload. While the client is
 * online it uploads, oldest first, every pending entry whose media is not
 * recorded yet, with the entry's one `clientMediaId` on every attempt (the
 * MediaUploader retries a few times itself; after that the entry waits a
 * backoff, or the next connection, and tries again). The media is written into
 * the entry (storage) before the message is sent, so a restarted client never
 * uploads it again. A refusal marks the entry failed.
 */
export class OutboxUploads {
  private isOnline = false;
  private readonly running = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  /** Failed rounds per entry since its last success, for the backoff. */
  private readonly rounds = new Map<string, number>();
  private readonly waker: WakeTimer;

  constructor(private readonly settings: OutboxUploadsSettings) {
    this.waker = new WakeTimer(settings.timers, settings.now, () => this.pump());
  }

  /** A new authenticated connection: upload what waits, without waiting out earlier backoffs. */
  online(): void {
    this.isOnline = true;
    this.retryAt.clear();
    this.pump();
  }

  /** Offline: no new uploads start (one in progress finishes and is recorded). */
  offline(): void {
    this.isOnline = false;
    this.waker.clear();
  }

  /** The entry left the outbox (acked or discarded). */
  forget(clientMsgId: string): void {
    this.retryAt.delete(clientMsgId);
    this.rounds.delete(clientMsgId);
  }

  /** Start the uploads that may start now (call after the outbox changed). */
  pump(): void {
    const { outbox, uploader } = this.settings;
    if (!this.isOnline || !uploader) return;
    const now = this.settings.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of outbox.entries()) {
      if (this.running.size >= MAX_UPLOADS_AT_ONCE) break;
      const id = entry.clientMsgId;
      const { upload } = entry;
      if (!upload || upload.media || entry.status !== "pending" || this.running.has(id) || !outbox.isWritten(id)) {
        continue;
      }
      const at = this.retryAt.get(id);
      if (at !== undefined && at > now) {
        earliest = Math.min(earliest, at);
        continue;
      }
      this.retryAt.delete(id);
      this.start(uploader, entry, upload);
    }
    if (earliest !== Number.POSITIVE_INFINITY) this.waker.wakeAt(earliest);
  }

  private start(uploader: MediaUploader, entry: OutboxEntry, upload: OutboxUpload): void {
    const id = entry.clientMsgId;
    if (!hasUploadFile(upload.file)) {
      this.refuse(id, new ChatError("bad_request", "the file of this upload was not kept across the restart"));
      return;
    }
    this.running.add(id);
    this.settings.outbox.update(id, { upload: { ...upload, state: "uploading", sent: 0, total: 0 } });
    this.settings.onChanged();
    uploader
      .upload({
        kind: upload.kind,
        file: upload.file,
        clientMediaId: upload.clientMediaId,
        ...(upload.durationMs === undefined ? {} : { durationMs: upload.durationMs }),
        onProgress: ({ sent, total }) => this.progress(id, sent, total),
      })
      .then(
        (media) => {
          this.running.delete(id);
          const current = this.live(id);
          if (current?.upload) {
            this.rounds.delete(id);
            const uploaded = this.settings.outbox.update(id, {
              upload: { ...current.upload, state: "uploaded", media, sent: current.upload.total },
              body: bodyFromMedia(media, "replyTo" in current.body ? current.body.replyTo : undefined),
            });
            if (uploaded) this.settings.onUploaded(uploaded);
          }
          this.pump();
        },
        (error: unknown) => {
          this.running.delete(id);
          const failure = error instanceof ChatError ? error : new ChatError("network", describeError(error));
          if (this.live(id)) this.handleError(id, failure);
          this.pump();
        },
      );
  }

  /** The entry, if it is still pending in the outbox (not discarded or acked meanwhile). */
  private live(clientMsgId: string): OutboxEntry | undefined {
    const entry = this.settings.outbox.get(clientMsgId);
    return entry?.status === "pending" ? entry : undefined;
  }

  /** Progress is kept in memory only (storage is not written for each chunk). */
  private progress(clientMsgId: string, sent: number, total: number): void {
    const entry = this.live(clientMsgId);
    if (entry?.upload?.state !== "uploading") return;
    entry.upload.sent = sent;
    entry.upload.total = total;
    this.settings.emit("upload_progress", { clientMsgId, conversationId: entry.conversationId, sent, total });
  }

  private handleError(clientMsgId: string, error: ChatError): void {
    if (UPLOAD_REFUSALS.indexOf(error.code) !== -1) {
      this.refuse(clientMsgId, error);
      return;
    }
    // Network trouble, a busy server, a refused token: the entry waits and tries again, same clientMediaId.
    const round = (this.rounds.get(clientMsgId) ?? 0) + 1;
    this.rounds.set(clientMsgId, round);
    const { now, random, backoff, outbox } = this.settings;
    this.retryAt.set(clientMsgId, now() + retryDelayMs(round - 1, random, backoff));
    const entry = outbox.get(clientMsgId);
    if (entry?.upload) {
      outbox.update(clientMsgId, {
        error: { code: error.code, message: error.message },
        upload: { ...entry.upload, state: "waiting", sent: 0, total: 0 },
      });
    }
    this.settings.onChanged();
  }

  private refuse(clientMsgId: string, error: ChatError): void {
    const { outbox } = this.settings;
    const entry = outbox.get(clientMsgId);
    if (!entry?.upload) return;
    this.forget(clientMsgId);
    const failed = outbox.update(clientMsgId, {
      status: "failed",
      error: { code: error.code, message: error.message },
      upload: { ...entry.upload, state: "waiting", sent: 0, total: 0 },
    });
    if (failed) this.settings.onFailed(failed, error);
  }
}
