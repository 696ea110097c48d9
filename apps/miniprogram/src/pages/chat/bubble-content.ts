import type { Body, OutboxEntry, ReceivedBody } from "@mpchat/client";
import type { MediaUrls } from "../../view/avatar";
import { bodyText } from "../../view/body-text";
import { fileIcon, formatFileSize, imageBox, voiceSeconds, voiceWidth } from "../../view/media-bubble";

/** An image bubble: the thumbnail in a box sized from the body, the full image for the preview. */
export interface ImageContent {
  src: string;
  full: string;
  /** rpx */
  width: number;
  height: number;
}

/** A voice bubble: its length, a width that grows with it, what to play. */
export interface VoiceContent {
  seconds: number;
  /** rpx */
  width: number;
  src: string;
}

/** A file bubble: name, size, an icon by extension, where to download it. */
export interface FileContent {
  name: string;
  sizeText: string;
  iconLabel: string;
  iconColor: string;
  src: string;
}

/** What a bubble shows, by kind; `text` is also the accessible text of a media bubble ("[图片]"). */
export interface BubbleContent {
  kind: "text" | "image" | "voice" | "file";
  text: string;
  image?: ImageContent;
  voice?: VoiceContent;
  file?: FileContent;
}

/** The content of a stored (or sent) body. Unknown kinds are text bubbles with the upgrade hint. */
export function contentOf(
  body: ReceivedBody | Body,
  media: MediaUrls,
  senderId = "",
  nameOf?: (userId: string) => string,
): BubbleContent {
  const text = bodyText(body, senderId, nameOf);
  switch (body.kind) {
    case "image":
      return {
        kind: "image",
        text,
        image: { src: media.thumb(body.mediaId), full: media.full(body.mediaId), ...imageBox(body.width, body.height) },
      };
    case "voice":
      return {
        kind: "voice",
        text,
        voice: {
          seconds: voiceSeconds(body.durationMs),
          width: voiceWidth(body.durationMs),
          src: media.full(body.mediaId),
        },
      };
    case "file": {
      const icon = fileIcon(body.name);
      return {
        kind: "file",
        text,
        file: {
          name: body.name,
          sizeText: formatFileSize(body.size),
          iconLabel: icon.label,
          iconColor: icon.color,
          src: media.full(body.mediaId),
        },
      };
    }
    default:
      return { kind: "text", text };
  }
}

/**
 * The content of an outbox entry. A media message whose upload has not finished has a placeholder
 * body: its bubble is drawn from the upload (the local file as the image's preview, the recorder's
 * duration, the file's own name and size) with the upload's progress, 0..100 (-1: not uploading).
 */
export function pendingContentOf(
  entry: OutboxEntry,
  media: MediaUrls,
  localSize: (path: string) => { width: number; height: number } | undefined = () => undefined,
): BubbleContent & { progress: number } {
  const upload = entry.upload;
  if (!upload || upload.media) return { ...contentOf(entry.body, media), progress: -1 };
  const progress = upload.total > 0 ? Math.min(99, Math.round((upload.sent / upload.total) * 100)) : 0;
  const shown = entry.status === "pending" ? progress : -1;
  const path = "filePath" in upload.file ? upload.file.filePath : "";
  const text = bodyText(entry.body);
  switch (upload.kind) {
    case "image": {
      const size = localSize(path);
      return {
        kind: "image",
        text,
        image: { src: path, full: path, ...imageBox(size?.width ?? 0, size?.height ?? 0) },
        progress: shown,
      };
    }
    case "voice": {
      const durationMs = upload.durationMs ?? 0;
      return {
        kind: "voice",
        text: bodyText({ kind: "voice", mediaId: "", durationMs }),
        voice: { seconds: voiceSeconds(durationMs), width: voiceWidth(durationMs), src: path },
        progress: -1,
      };
    }
    case "file": {
      const name = upload.file.name ?? "";
      const icon = fileIcon(name);
      return {
        kind: "file",
        text: bodyText({ kind: "file", mediaId: "", name, size: upload.total }),
        file: { name, sizeText: formatFileSize(upload.total), iconLabel: icon.label, iconColor: icon.color, src: "" },
        progress: shown,
      };
    }
  }
}
