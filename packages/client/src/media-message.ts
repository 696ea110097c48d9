import { type ClientBody, MEDIA_KINDS, type Media, type MediaKind } from "@mpchat/protocol";
import { ChatError } from "./errors";
import type { UploadFile } from "./ports/upload";

/** The message a reply answers: a `seq` of the same conversation (the server adds its sender, kind and preview). */
export interface ReplyTarget {
  seq: number;
}

/** What `send(conversationId, text, options)` may add to a text. */
export interface TextSendOptions {
  replyTo?: ReplyTarget;
}

/** What `sendMedia()` sends: a local file, uploaded first, then the message that names it. */
export interface MediaMessageInput {
  kind: MediaKind;
  /**
   * `{ filePath }` in the mini program (a temp path from `wx.chooseMedia`, the
   * recorder or `wx.chooseMessageFile`; for a file message give `name` too), or
   * `{ data, name }` with `fetchUpload` (a Blob or File).
   */
  file: UploadFile;
  /** Voice: the recorder's duration in ms (used when the server cannot read it from the content). */
  durationMs?: number;
  replyTo?: ReplyTarget;
}

/** A media body whose upload has not finished: the right kind, placeholder fields (see OutboxEntry.body). */
export function placeholderBody(kind: MediaKind, replyTo: ReplyTarget | undefined): ClientBody {
  const reply = replyTo ? { replyTo: { seq: replyTo.seq } } : {};
  switch (kind) {
    case "image":
      return { kind, mediaId: "", width: 0, height: 0, ...reply };
    case "voice":
      return { kind, mediaId: "", durationMs: 0, ...reply };
    default:
      // A kind that is none of the three is refused (checkMediaInput); its entry still needs a body.
      return { kind: "file", mediaId: "", name: "", size: 0, ...reply };
  }
}

/** The body of a media message, from the stored media (the server would set these fields from it anyway). */
export function bodyFromMedia(media: Media, replyTo: ReplyTarget | undefined): ClientBody {
  const reply = replyTo ? { replyTo: { seq: replyTo.seq } } : {};
  switch (media.kind) {
    case "image":
      return { kind: "image", mediaId: media.id, width: media.width ?? 0, height: media.height ?? 0, ...reply };
    case "voice":
      return { kind: "voice", mediaId: media.id, durationMs: media.durationMs ?? 0, ...reply };
    case "file":
      return { kind: "file", mediaId: media.id, name: media.name ?? "file", size: media.size, ...reply };
  }
}

/** True when there is something to upload: a non-empty path, or data (never kept in storage). */
export function hasUploadFile(file: UploadFile | undefined): boolean {
  if (typeof file !== "object" || file === null) return false;
  if ("filePath" in file) return typeof file.filePath === "string" && file.filePath.length > 0;
  return "data" in file && file.data !== undefined && file.data !== null;
}

/** Refuse at once what cannot be uploaded. */
export function checkMediaInput(input: MediaMessageInput): ChatError | undefined {
  if (MEDIA_KINDS.indexOf(input.kind) === -1) {
    return new ChatError("bad_request", `kind must be one of ${MEDIA_KINDS.join(", ")}`);
  }
  if (!hasUploadFile(input.file))
    return new ChatError("bad_request", "a media message needs a file: { filePath } or { data }");
  if (input.durationMs !== undefined && !(Number.isFinite(input.durationMs) && input.durationMs >= 0)) {
    return new ChatError("bad_request", "durationMs must be a non-negative number");
  }
  return undefined;
}
