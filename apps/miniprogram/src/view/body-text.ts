import { assertNever, type Body, type ReceivedBody } from "@mpchat/protocol";
import { strings } from "../strings";
import { systemText } from "./system-text";

/**
 * What a bubble or a list preview shows for a body, by kind. A new kind fails the
 * build here until it says how it is shown; a kind from a newer server that this
 * version does not know shows a hint to upgrade instead of breaking the page.
 */
export function bodyText(body: ReceivedBody | Body, senderId = ""): string {
  switch (body.kind) {
    case "text":
      return body.text;
    case "image":
      return strings.chat.imagePreview;
    case "voice":
      return strings.chat.voicePreview(Math.max(1, Math.round(body.durationMs / 1000)));
    case "file":
      return strings.chat.filePreview(body.name);
    case "system":
      return systemText(body, senderId);
    case "unknown":
      return strings.chat.unsupported;
    default:
      return assertNever(body, "body kind");
  }
}
