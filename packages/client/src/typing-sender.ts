import type { Connection } from "./connection";

export interface TypingSenderSettings {
  /** The authenticated connection, if any. */
  connection(): Connection | null;
  now(): number;
  /** At most one `typing` frame per conversation per this many ms. */
  throttleMs: number;
}

/** Sends this user's `typing` frames: throttled per conversation, dropped while offline (they are not stored). */
export class TypingSender {
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly settings: TypingSenderSettings) {}

  typing(conversationId: string): void {
    const connection = this.settings.connection();
    if (!connection) return;
    const now = this.settings.now();
    const last = this.sentAt.get(conversationId);
    if (last !== undefined && now - last < this.settings.throttleMs) return;
    this.sentAt.set(conversationId, now);
    connection.post({ type: "typing", conversationId });
  }
}
