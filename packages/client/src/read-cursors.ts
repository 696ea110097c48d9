import type { Connection } from "./connection";
import type { ChatError } from "./errors";

/**
 * Read cursors waiting to reach the server: the highest seq per conversation,
 * sent now when online and again after every reconnect until answered.
 */
export class ReadCursors {
  private readonly pending = new Map<string, number>();

  constructor(private readonly connection: () => Connection | null) {}

  /** Queue a cursor; lower ones than already queued change nothing. */
  mark(conversationId: string, seq: number): void {
    if (seq <= (this.pending.get(conversationId) ?? 0)) return;
    this.pending.set(conversationId, seq);
    this.flush(conversationId);
  }

  /** A new connection: send everything still pending. */
  flushAll(): void {
    for (const conversationId of Array.from(this.pending.keys())) this.flush(conversationId);
  }

  private flush(conversationId: string): void {
    const connection = this.connection();
    const seq = this.pending.get(conversationId);
    if (!connection || seq === undefined) return;
    const settle = () => {
      if (this.pending.get(conversationId) === seq) this.pending.delete(conversationId);
    };
    connection.request({ type: "read", conversationId, seq }, "ok").then(settle, (error: ChatError) => {
      // Refused for good: keeping it would resend it on every connect.
      if (error.code === "forbidden" || error.code === "bad_request" || error.code === "not_found") settle();
    });
  }
}
