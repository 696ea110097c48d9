import { strings } from "../strings";

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A message time as chat apps show it: "14:05" today, "昨天 14:05", "3月5日 14:05" this year,
 * "2023/3/5 14:05" before. `now` is a parameter so that the rule can be tested.
 */
export function formatMessageTime(at: number, now: number = Date.now()): string {
  const date = new Date(at);
  const clock = `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
  const today = startOfDay(new Date(now));
  if (at >= today) return clock;
  if (at >= today - DAY_MS) return `${strings.time.yesterday} ${clock}`;
  if (date.getFullYear() === new Date(now).getFullYear()) return `${date.getMonth() + 1}月${date.getDate()}日 ${clock}`;
  return `${date.getFullYear()}/${date.getMonth() + 1}/${date.getDate()} ${clock}`;
}

/** The shorter form for the conversation list: the clock today, the date otherwise. */
export function formatListTime(at: number, now: number = Date.now()): string {
  const date = new Date(at);
  const today = startOfDay(new Date(now));
  if (at >= today) return `${pad2(date.getHours())}:${pad2(date.getMinutes())}`;
  if (at >= today - DAY_MS) return strings.time.yesterday;
  if (date.getFullYear() === new Date(now).getFullYear()) return `${date.getMonth() + 1}月${date.getDate()}日`;
  return `${date.getFullYear()}/${date.getMonth() + 1}/${date.getDate()}`;
}

/** Show a time divider before a message when more than five minutes passed since the previous one. */
export const TIME_DIVIDER_GAP_MS = 5 * 60 * 1000;
