import type { ClientBody } from "@mpchat/protocol";
import type { ChatErrorCode } from "./errors";

/** A message the user sent that the server has not acknowledged yet (or refused for good). */
export interface OutboxEntry {
  /** The client's name for the message; the same on every retry, so the server stores it once. */
  clientMsgId: string;
  conversationId: string;
  body: ClientBody;
  /** When `send()` was called (client clock). */
  createdAt: number;
  /**
   * `pending`: waiting for an ack (queued, in flight, or waiting to retry).
   * `failed`: refused for good; kept so the UI can show it, until `retry()` or `discard()`.
   */
  status: "pending" | "failed";
  /** Attempts made so far (reset by `retry()`). */
  attempts: number;
  /** Why it failed, for `failed` entries (and the last transient error of `pending` ones). */
  error?: { code: ChatErrorCode; message: string };
}
