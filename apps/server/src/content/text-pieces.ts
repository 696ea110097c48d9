/** WeChat's msg_sec_check takes at most this many characters. */
export const PIECE_CODE_POINTS = 2500;
/** Pieces overlap by this much, so that a word across a boundary is whole in one of them. */
export const PIECE_OVERLAP = 100;

/**
 * `text` cut into pieces of at most `size` code points (never inside a
 * surrogate pair), each starting `size - overlap` after the previous; a text
 * that fits is one piece. Never refuses a text for its length.
 */
export function textPieces(text: string, size = PIECE_CODE_POINTS, overlap = PIECE_OVERLAP): string[] {
  const points = Array.from(text);
  if (points.length <= size) return [text];
  const step = size - overlap;
  const pieces: string[] = [];
  for (let start = 0; ; start += step) {
    pieces.push(points.slice(start, start + size).join(""));
    if (start + size >= points.length) return pieces;
  }
}
