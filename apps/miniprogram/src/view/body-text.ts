import { assertNever, type Body, type RecalledBy, type ReceivedBody } from "@mpchat/protocol";
import { strings } from "../strings";
import { quotedName, systemText } from "./system-text";

/**
 * What a bubble or a list preview shows for a body, by kind. A new kind fails the
 * build here until it says how it is shown; a kind from a newer server that this
 * version does not know shows a hint to upgrade instead of breaking the page.
 */
export function bodyText(
  body: ReceivedBody | Body,
  senderId = "",
  nameOf: (userId: string) => string = (userId) => userId,
): string {
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
      return systemText(body, senderId, nameOf);
    case "recall":
      return recallText(body.by ?? "sender", senderId, nameOf);
    case "recalled":
      // The tombstone keeps the original's sender: who recalled it is that sender unless `by` says otherwise.
      return body.by === "sender" ? recallText("sender", senderId, nameOf) : recallText(body.by, "");
    case "unknown":
      return strings.chat.unsupported;
    default:
      return assertNever(body, "body kind");
  }
}

/** “alice”撤回了一条消息, by who took the message back. */
function recallText(by: RecalledBy, who: string, nameOf: (userId: string) => string = (userId) => userId): string {
  const t = strings.chat.recall;
  switch (by) {
    case "sender":
      if (who === "") return t.recalled;
      // nameOf names the user themself "你": WeChat's own words then.
      return nameOf(who) === strings.chat.you ? t.byMe : t.bySender(quotedName(nameOf(who)));
    case "admin":
      return who === "" ? t.recalled : t.byAdmin(quotedName(nameOf(who)));
    case "moderation":
      return t.byModeration;
    default:
      return assertNever(by, "recalled by");
  }
}
