import type { Page } from "../store/store";

/**
 * Cuts a page so that its messages' JSON stays within `maxBytes` (UTF-8), keeping
 * at least one message so that paging always makes progress. A cut page says
 * `hasMore`. `keep`: which end stays: the oldest for pages after a seq (the next
 * page starts after the last one kept), the newest for pages before a seq (the
 * next page ends before the first one kept).
 *
 * Why: a page of 200 long texts whose characters escape to 6 bytes in JSON is
 * ~5 MB, past the slow-consumer bound (GatewayLimits.maxBufferedBytes), which
 * would cut the very connection that asked for it.
 */
export function boundPage(page: Page, maxBytes: number, keep: "oldest" | "newest"): Page {
  const { messages } = page;
  const ordered = keep === "oldest" ? messages : [...messages].reverse();
  let bytes = 0;
  let kept = 0;
  for (const message of ordered) {
    // +1: the comma between array items.
    bytes += Buffer.byteLength(JSON.stringify(message)) + 1;
    if (kept > 0 && bytes > maxBytes) break;
    kept++;
  }
  if (kept === messages.length) return page;
  const slice = keep === "oldest" ? messages.slice(0, kept) : messages.slice(messages.length - kept);
  return { messages: slice, hasMore: true };
}
