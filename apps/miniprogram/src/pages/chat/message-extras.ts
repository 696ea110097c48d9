import type { Body, Message, ReceivedBody } from "@mpchat/client";
import { strings } from "../../strings";
import { quotedName } from "../../view/system-text";

/** The quoted message above a reply: "alice：原文" (or [图片]/[语音]/[文件]); tapping it scrolls to `seq`. */
export interface QuoteView {
  seq: number;
  text: string;
}

/** A piece of a text bubble: plain, or a mention ("@bob", "@所有人") drawn in the mention colour. */
export interface TextSegment {
  text: string;
  at: boolean;
}

type AnyBody = ReceivedBody | Body;

function replyOf(body: AnyBody): { seq: number; senderId?: string; kind?: string; preview?: string } | undefined {
  return "replyTo" in body ? body.replyTo : undefined;
}

/** What a quote shows for the original's kind: the text's preview, or a mark for media and recalls. */
function previewOf(kind: string | undefined, preview: string | undefined): string {
  switch (kind) {
    case "image":
      return strings.chat.imagePreview;
    case "voice":
      return "[语音]";
    case "file":
      return "[文件]";
    case "recalled":
      return strings.chat.recall.recalled;
    default:
      return preview ?? "";
  }
}

/**
 * The quote of a reply, from what the server put in `replyTo` (sender, kind, preview); a reply still
 * in the outbox carries only the seq, so the original is looked up among the loaded messages.
 */
export function quoteOf(
  body: AnyBody,
  nameOf: (userId: string) => string,
  loaded: (seq: number) => Message | undefined = () => undefined,
): QuoteView | null {
  const reply = replyOf(body);
  if (!reply) return null;
  let { senderId, kind, preview } = reply;
  if (senderId === undefined) {
    const original = loaded(reply.seq);
    if (!original) return { seq: reply.seq, text: "" };
    senderId = original.senderId;
    kind = original.body.kind;
    preview = original.body.kind === "text" ? Array.from(original.body.text).slice(0, 60).join("") : undefined;
  }
  return { seq: reply.seq, text: strings.chat.replyQuote(nameOf(senderId), previewOf(kind, preview)) };
}

/**
 * A text split around its mentions: "@name" of every mentioned member (and "@所有人" with
 * mentionAll) is a segment of its own. Empty when the text mentions nobody (the bubble shows
 * the plain text then).
 */
export function mentionSegments(body: AnyBody, nameOf: (userId: string) => string): TextSegment[] {
  if (body.kind !== "text") return [];
  const names = (body.mentions ?? []).map((id) => `@${nameOf(id)}`);
  if (body.mentionAll) names.push(`@${strings.chat.mentionAll}`);
  if (names.length === 0) return [];
  // Longest first, so "@bobby" is not cut as "@bob" + "by".
  const sorted = [...new Set(names)].sort((a, b) => b.length - a.length);
  const segments: TextSegment[] = [];
  let rest = body.text;
  let plain = "";
  while (rest.length > 0) {
    const hit = sorted.find((name) => rest.startsWith(name));
    if (hit) {
      if (plain !== "") segments.push({ text: plain, at: false });
      plain = "";
      segments.push({ text: hit, at: true });
      rest = rest.slice(hit.length);
    } else {
      const first = Array.from(rest)[0] ?? "";
      plain += first;
      rest = rest.slice(first.length);
    }
  }
  if (plain !== "") segments.push({ text: plain, at: false });
  return segments.some((segment) => segment.at) ? segments : [];
}

/**
 * The grey line in place of a recalled message: 你撤回了一条消息, “bob”撤回了一条消息, or who of
 * the owner and admins recalled it (“alice”撤回了一条成员消息, named from the recall message when
 * it is loaded). `nameOf` names the user themself "你".
 */
export function recalledLine(
  by: "sender" | "admin" | "moderation",
  originalSenderId: string,
  recallSenderId: string | undefined,
  nameOf: (userId: string) => string,
): string {
  const t = strings.chat.recall;
  switch (by) {
    case "sender": {
      const name = nameOf(originalSenderId);
      return name === strings.chat.you ? t.byMe : t.bySender(quotedName(name));
    }
    case "admin": {
      if (recallSenderId === undefined) return t.recalled;
      return t.byAdmin(quotedName(nameOf(recallSenderId)));
    }
    default:
      return t.byModeration;
  }
}
