import type { ChatDeps } from "./deps";
import { publishQuietly } from "./publish";

/**
 * Presence: when a user's first connection opens or last one closes, everyone
 * who shares a conversation with them hears it. Best effort, never stored.
 */
export class PresenceService {
  constructor(private readonly deps: Pick<ChatDeps, "store" | "bus" | "log">) {}

  async changed(userId: string, online: boolean): Promise<void> {
    try {
      const recipients = await this.deps.store.contactsOf(userId);
      if (recipients.length === 0) return;
      await publishQuietly(this.deps, { type: "presence", recipients, userId, online });
    } catch (error) {
      this.deps.log.warn({ err: error, userId }, "presence not announced");
    }
  }
}
