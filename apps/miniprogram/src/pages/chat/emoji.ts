/**
 * The emoji panel's grid: the faces and signs people use most in Chinese chats (WeChat's own panel
 * has its bracket stickers such as [微笑], which only WeChat draws; these are Unicode, so they show
 * on every phone and in every other client).
 */
export const EMOJI: readonly string[] = [
  "😀",
  "😁",
  "😂",
  "🤣",
  "😊",
  "😍",
  "😘",
  "😋",
  "😎",
  "🤔",
  "😏",
  "😴",
  "😭",
  "😅",
  "😡",
  "😱",
  "🥰",
  "😳",
  "🙄",
  "😜",
  "🤗",
  "🤩",
  "😤",
  "🥺",
  "👍",
  "👎",
  "👌",
  "👏",
  "🙏",
  "💪",
  "🤝",
  "✌️",
  "❤️",
  "💔",
  "🎉",
  "🔥",
  "🌹",
  "☕",
  "🍻",
  "🎂",
  "☀️",
  "🌙",
  "⭐",
  "🌈",
  "🍎",
  "🍜",
  "🐶",
  "🐱",
];

/**
 * The input without its last character: a whole emoji of the panel when the text ends with one
 * (some are two code points, "✌️"), else one code point (never half a surrogate pair).
 */
export function deleteLast(text: string): string {
  const emoji = EMOJI.find((e) => text.endsWith(e));
  if (emoji) return text.slice(0, -emoji.length);
  const chars = Array.from(text);
  chars.pop();
  return chars.join("");
}
