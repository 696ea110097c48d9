import { isControlOrBidi } from "@mpchat/protocol";
import fc from "fast-check";

/** Single UTF-16 code units that make a string ill-formed or refused: lone surrogates and U+0000. */
export const poisonUnit = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdbff }).map((u) => String.fromCharCode(u)),
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((u) => String.fromCharCode(u)),
  fc.constant("\u0000"),
);

/** Controls and bidi characters that labels refuse (text keeps \n and \t). */
export const labelPoison = fc.oneof(
  fc.integer({ min: 0x00, max: 0x1f }).map((u) => String.fromCharCode(u)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((u) => String.fromCharCode(u)),
  fc.integer({ min: 0x202a, max: 0x202e }).map((u) => String.fromCharCode(u)),
  fc.integer({ min: 0x2066, max: 0x2069 }).map((u) => String.fromCharCode(u)),
);

/** Any string of UTF-16 code units: lone surrogates, NUL and controls included. */
export const anyUnits = fc.string({ unit: "binary", maxLength: 40 });

/** Well-formed text without U+0000 (emoji, CJK, controls, newlines): valid in a message. */
export const goodText = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
  .map((s) => s.replaceAll("\u0000", "0"))
  .filter((s) => s.length > 0);

/** A printable label: well-formed, no control or bidi character. */
export const goodLabel = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 30 })
  .map((s) => [...s].map((ch) => (isControlOrBidi(ch.charCodeAt(0)) ? "x" : ch)).join(""))
  .filter((s) => s.length >= 1 && s.length <= 64);

/** `base` with one poison unit inserted at an arbitrary place. */
export function poisoned(base: fc.Arbitrary<string>, poison: fc.Arbitrary<string> = poisonUnit) {
  return fc.tuple(base, poison, fc.nat()).map(([s, p, at]) => {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    // Never split a surrogate pair of `s`: that would be a second, unintended poison.
    const code = s.charCodeAt(i);
    const j = code >= 0xdc00 && code <= 0xdfff ? i + 1 : i;
    return s.slice(0, j) + p + s.slice(j);
  });
}

/** An id of the user/entity alphabet. */
export const goodEntityId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
/** A request id or clientMsgId: any well-formed string of 1..64 code units. */
export const goodRequestId = fc
  .string({ unit: "grapheme-composite", minLength: 1, maxLength: 20 })
  .map((s) => s.replaceAll("\u0000", "0"))
  .filter((s) => s.length >= 1 && s.length <= 64);
