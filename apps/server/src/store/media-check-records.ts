import type { Message } from "@mpchat/protocol";

/** A media sent to WeChat's async media check, until its verdict comes (`wxa_media_check`). */
export interface MediaCheckRecord {
  /** WeChat's id of the check (media_check_async's answer, the event's `trace_id`). */
  traceId: string;
  mediaId: string;
  createdAt: number;
}

/** Store methods of the async media check (part of the Store port). */
export interface MediaCheckStore {
  /** Stores the pending check; a repeat of its traceId keeps the first (WeChat's ids are unique). */
  recordMediaCheck(check: MediaCheckRecord): Promise<void>;
  /** The pending check of that traceId; null when unknown (or already settled). */
  findMediaCheck(traceId: string): Promise<MediaCheckRecord | null>;
  /** Forgets a settled check; false when there was none. */
  deleteMediaCheck(traceId: string): Promise<boolean>;
  /**
   * The messages of `senderId` that show the media (image, voice or file bodies
   * naming it), oldest first. Only its uploader can send a media, so its messages
   * are all there are.
   */
  messagesShowingMedia(senderId: string, mediaId: string): Promise<Message[]>;
}
