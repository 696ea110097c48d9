import type { ReceivedBody } from "@mpchat/client";
import type { Strings } from "./strings";

const pad = (n: number) => String(n).padStart(2, "0");

/** 09:12 today, 昨天 / Yesterday, else 11月28日 / 11-28 (a year back or more: with the year). */
export function shortTime(t: Strings, at: number, now = Date.now()): string {
  const date = new Date(at);
  const today = new Date(now);
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.toDateString() === today.toDateString()) return clock;
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return t.time.yesterday;
  const day =
    t.lang === "zh"
      ? `${date.getMonth() + 1}月${date.getDate()}日`
      : `${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return date.getFullYear() === today.getFullYear() ? day : `${date.getFullYear()}-${day}`;
}

/** The time over a message: the clock, with the day when it is not today. */
export function messageTime(t: Strings, at: number, now = Date.now()): string {
  const day = shortTime(t, at, now);
  const date = new Date(at);
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return day === clock ? clock : `${day} ${clock}`;
}

/** One line for a list or a reply quote. */
export function bodyPreview(t: Strings, body: ReceivedBody): string {
  switch (body.kind) {
    case "text":
      return body.text;
    case "image":
      return t.chat.imagePreview;
    case "voice":
      return t.chat.voicePreview(Math.round(body.durationMs / 1000));
    case "file":
      return t.chat.filePreview(body.name);
    default:
      return t.chat.unsupported;
  }
}

/** A reply's original when only its kind is known (the server sends a preview for texts only). */
export function kindPreview(t: Strings, kind: string): string | undefined {
  if (kind === "image") return t.chat.imagePreview;
  if (kind === "voice") return t.chat.voicePreview(0).replace(/ 0″$/, "");
  if (kind === "file") return t.chat.filePreview("").trim();
  return undefined;
}
