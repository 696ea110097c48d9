import type { FieldKind, NoticeField } from "./notice-config";

/** What one notice says: never the message's content. */
export interface NoticeFacts {
  /** The conversation's name as the member sees it (a group's title, a direct conversation's other person). */
  conversation: string;
  /** How many messages the member has not read there. */
  count: number;
  /** When the message arrived (epoch ms). */
  at: number;
  /** WECHAT_NOTICE_HINT. */
  hint: string;
}

/** The longest value of each text kind, in characters (WeChat's field rules; a longer one is answered 47003). */
const MAX_CHARACTERS: Partial<Record<FieldKind, number>> = {
  thing: 20,
  short_thing: 5,
  name: 10,
  phrase: 5,
  character_string: 32,
  number: 32,
};

/** WeChat users read times in China Standard Time (UTC+8, no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3600_000;

/**
 * The `data` of subscribe/send: exactly the configured keys, each value made to
 * pass its field's rule. Too long a text is cut (with "…"), never refused: a
 * notice with a shortened group name beats none.
 */
export function noticeData(fields: readonly NoticeField[], facts: NoticeFacts): Record<string, { value: string }> {
  const data: Record<string, { value: string }> = {};
  for (const field of fields) data[field.key] = { value: fieldValue(field, facts) };
  return data;
}

function fieldValue(field: NoticeField, facts: NoticeFacts): string {
  switch (field.role) {
    case "conversation":
      return fit(field.kind, facts.conversation);
    case "hint":
      return fit(field.kind, facts.hint);
    case "count":
      return fit(
        field.kind,
        field.kind === "number" || field.kind === "character_string" ? String(facts.count) : `${facts.count}条新消息`,
      );
    case "time":
      return field.kind === "date" ? chinaDate(facts.at) : `${chinaDate(facts.at)} ${chinaClock(facts.at)}`;
  }
}

/** Cuts `text` to the kind's length in code points (never splitting a surrogate pair); empty text becomes "-". */
export function fit(kind: FieldKind, text: string): string {
  const max = MAX_CHARACTERS[kind];
  const characters = Array.from(text.trim() === "" ? "-" : text);
  if (max === undefined || characters.length <= max) return characters.join("");
  // Numbers and codes are not shortened with an ellipsis (not a digit); their cap is never reached by a count.
  if (kind === "number" || kind === "character_string") return characters.slice(0, max).join("");
  return `${characters.slice(0, max - 1).join("")}…`;
}

/** e.g. 2026年12月1日 (WeChat's `date` format). */
export function chinaDate(at: number): string {
  const d = new Date(at + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** e.g. 09:05 (24-hour, as WeChat's `time` wants). */
export function chinaClock(at: number): string {
  const d = new Date(at + CHINA_OFFSET_MS);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}
