/**
 * What every string of the protocol must be (PROTOCOL.md 1.1, "Strings, everywhere").
 * Plain loops over UTF-16 code units, not regular expressions: the `u`/`v` flag
 * features (\p{…}, lone-surrogate classes) are missing on old iOS JavaScript
 * engines, and this package runs in the mini program.
 */

/** Well-formed Unicode with no U+0000: every surrogate is paired, high then low. */
export function isWellFormedText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0) return false;
    if (unit < 0xd800 || unit > 0xdfff) continue;
    // A low surrogate here has no high one before it; a high one needs a low one next.
    if (unit > 0xdbff) return false;
    const next = value.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
    i++;
  }
  return true;
}

/** C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F) and the bidi embedding/override/isolate controls. */
export function isControlOrBidi(unit: number): boolean {
  return (
    unit <= 0x1f ||
    (unit >= 0x7f && unit <= 0x9f) ||
    (unit >= 0x202a && unit <= 0x202e) ||
    (unit >= 0x2066 && unit <= 0x2069)
  );
}

/**
 * A label shown to other users (titles, names): well-formed, and none of the
 * characters that break a line or reorder the text around it.
 */
export function isPlainLabel(value: string): boolean {
  if (!isWellFormedText(value)) return false;
  for (let i = 0; i < value.length; i++) if (isControlOrBidi(value.charCodeAt(i))) return false;
  return true;
}

/** Replaces every unpaired surrogate with U+FFFD (for repairing, never for accepting input). */
export function toWellFormed(value: string): string {
  let out = "";
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = value.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    out += `${value.slice(from, i)}\ufffd`;
    from = i + 1;
  }
  return from === 0 ? value : out + value.slice(from);
}

export const WELL_FORMED_MESSAGE = "must be well-formed Unicode (no unpaired surrogate, no U+0000)";
export const PLAIN_LABEL_MESSAGE = "must not contain control or bidi characters";
