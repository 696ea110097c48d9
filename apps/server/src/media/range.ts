import parseRange from "range-parser";
import type { ByteRange } from "./media-store";

/**
 * One `Range: bytes=…` header against an object of `size` bytes (RFC 9110):
 * `null` when there is no usable range header (serve the whole object with 200),
 * `"unsatisfiable"` for 416, else the one inclusive range to serve with 206.
 * Several ranges are answered with the whole object, as RFC 9110 allows.
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  if (header === undefined || header === "") return null;
  // A suffix longer than the object means all of it (RFC 9110 §14.1.2); range-parser 1.x calls it unsatisfiable.
  const suffix = /^bytes=\s*-(\d+)\s*$/.exec(header);
  if (suffix !== null && size > 0 && Number(suffix[1]) >= size) return { start: 0, end: size - 1 };
  const ranges = parseRange(size, header, { combine: true });
  if (ranges === -1) return "unsatisfiable";
  if (ranges === -2 || ranges.type !== "bytes" || ranges.length !== 1) return null;
  const first = ranges[0];
  return first === undefined ? null : { start: first.start, end: first.end };
}
