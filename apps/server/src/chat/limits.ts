import type { SendQueueLimits } from "./send-admission";

/** Limits of the chat rules (see the README's configuration table for their variables). */
export interface ChatLimits {
  /** At most one `typing` push per (user, conversation) per window (0: no coalescing). */
  typingWindowMs: number;
  /** At most one `receipt` push per (user, conversation) per window; the latest cursor is pushed at its end. */
  receiptWindowMs: number;
  /** A sync or history page ends early (hasMore) before its messages pass this many bytes of JSON. */
  maxPageBytes: number;
  /** How long after a message's createdAt its sender may recall it (RECALL_WINDOW_MS; owner and admins: any time). */
  recallWindowMs?: number;
  /** Admission control of sends (SEND_QUEUE_*); default DEFAULT_SEND_QUEUE_LIMITS. */
  sendQueue?: SendQueueLimits;
}

export const DEFAULT_RECALL_WINDOW_MS = 120_000;

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  typingWindowMs: 3000,
  receiptWindowMs: 3000,
  // A quarter of the slow-consumer bound (4 MiB): a page never trips it, even behind other pushes.
  maxPageBytes: 1024 * 1024,
  recallWindowMs: DEFAULT_RECALL_WINDOW_MS,
};
