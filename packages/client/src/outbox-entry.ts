import type { ClientBody, Media, MediaKind } from "@mpchat/protocol";
import type { ChatErrorCode } from "./errors";
import type { UploadFile } from "./ports/upload";

/** A message the user sent that the server has not acknowledged yet (or refused for good). */
export interface OutboxEntry {
  /** The client's name for the message; the same on every retry, so the server stores it once. */
  clientMsgId: string;
  conversationId: string;
  /**
   * The body that is sent. For a media message it is complete once `upload.media`
   * is set (built from the stored media); before that its media fields are
   * placeholders (`mediaId: ""`, zeros): render such a bubble from `upload`.
   */
  body: ClientBody;
  /** When `send()` was called (client clock). */
  createdAt: number;
  /**
   * `pending`: waiting for an ack (queued, uploading, in flight, or waiting to retry).
   * `failed`: refused for good; kept so the UI can show it, until `retry()` or `discard()`.
   */
  status: "pending" | "failed";
  /** Attempts made so far (reset by `retry()`). */
  attempts: number;
  /** Why it failed, for `failed` entries (and the last transient error of `pending` ones). */
  error?: { code: ChatErrorCode; message: string };
  /** Image, voice and file messages: the upload that comes before the send. */
  upload?: OutboxUpload;
}

/**
 * The upload of a media message (`POST /v1/media`), kept in the outbox entry
 * (and so in storage) from `sendMedia()` on. Every attempt, across reconnects
 * and restarts, carries the same `clientMediaId`, so the server stores one
 * media; once `media` is recorded the upload is never made again.
 */
export interface OutboxUpload {
  kind: MediaKind;
  /**
   * The local file: `{ filePath }` (the mini program; also the local preview of
   * an image bubble) or `{ data, name }` (fetch: a Blob or File). A `data` file
   * is not written to storage: after a restart such an upload fails with
   * `bad_request` unless `media` was recorded already.
   */
  file: UploadFile;
  clientMediaId: string;
  /** Voice: the recorder's duration (the server reads the content's when it can). */
  durationMs?: number;
  /**
   * `waiting`: not started, or between attempts (offline, backoff).
   * `uploading`: an attempt is in progress (`sent` / `total` move).
   * `uploaded`: `media` is set; the message itself is sent next.
   */
  state: "waiting" | "uploading" | "uploaded";
  /** Bytes of the current attempt sent and in all, as the runtime reports them (0 when it does not). */
  sent: number;
  total: number;
  /** The stored media, once the upload succeeded. */
  media?: Media;
}
