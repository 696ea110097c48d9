import type { Body, ReceivedBody } from "@mpchat/client";
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
export function contentOf(body: ReceivedBody | Body, media: MediaUrls): BubbleContent {
  const text = bodyText(body);
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
