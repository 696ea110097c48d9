/** Limits of protocol v1. Servers may be stricter only where docs/protocol.md allows it. */
export const Limits = {
  /** Largest WebSocket frame the server accepts; bigger ones close the socket with 1009. */
  MAX_FRAME_BYTES: 64 * 1024,
  /** Longest text body, in Unicode code points. */
  MAX_TEXT_CODE_POINTS: 4000,
  /** Longest request id, clientMsgId and other ids, in characters. */
  MAX_ID_LENGTH: 64,
  /** Page size bounds for `sync` and history. */
  MAX_PAGE: 200,
  DEFAULT_SYNC_LIMIT: 100,
  DEFAULT_HISTORY_LIMIT: 50,
  /** The client must authenticate within this many milliseconds of the upgrade. */
  AUTH_TIMEOUT_MS: 5000,
  /** Longest group title, in code points. */
  MAX_TITLE_CODE_POINTS: 100,
  /** Longest group announcement, in code points (empty clears it). */
  MAX_ANNOUNCEMENT_CODE_POINTS: 1000,
  /** Most members a group may have. */
  MAX_GROUP_MEMBERS: 1000,
  /** Most users one text body may mention (protocol 1.1). */
  MAX_MENTIONS: 30,
  /** Longest draft a member keeps in a conversation's settings, in code points (protocol 1.1). */
  MAX_DRAFT_CODE_POINTS: 4000,
} as const;

/** Length of a string in Unicode code points (an emoji counts once, not twice). */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low surrogate is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
