import { LocalPresenceTracker } from "../bus/local-presence";
import type { PresenceEvent, PresenceTracker } from "../bus/presence-tracker";
import type { ContactsCache } from "./contacts-cache";
import type { ChatDeps } from "./deps";

/**
 * Presence: when a user's first connection opens or last one closes, everyone
 * who shares a conversation with them hears it. Best effort, never stored.
 */
export class PresenceService {
  /** The change being announced per user: a user's changes are announced in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly tracker: PresenceTracker;
  private readonly listeners: ((userId: string, online: boolean) => void)[] = [];

  constructor(
    private readonly deps: Pick<ChatDeps, "store" | "bus" | "log">,
    tracker?: PresenceTracker,
    /** Default: ask the store every time. */
    private readonly contacts: Pick<ContactsCache, "get"> = { get: (userId) => deps.store.contactsOf(userId) },
  ) {
    this.tracker = tracker ?? new LocalPresenceTracker(deps);
  }

  /** Called on this instance's first connection (online) and last disconnection (offline) of a user, synchronously. */
  onChange(listener: (userId: string, online: boolean) => void): void {
    this.listeners.push(listener);
  }

  changed(userId: string, online: boolean): Promise<void> {
    for (const listener of this.listeners) listener(userId, online);
    // A quick connect + disconnect must not be announced as disconnect + connect.
    const next = (this.queues.get(userId) ?? Promise.resolve()).then(() => this.announce(userId, online));
    this.queues.set(userId, next);
    void next.then(() => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    });
    return next;
  }

  /** Resolves once every change so far has been announced (for shutdown). */
  async drain(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private async announce(userId: string, online: boolean): Promise<void> {
    try {
      const recipients = await this.contacts.get(userId);
      const event: PresenceEvent = { type: "presence", recipients, userId, online };
      await (online ? this.tracker.connected(userId, event) : this.tracker.disconnected(userId, event));
    } catch (error) {
      this.deps.log.warn({ err: error, userId }, "presence not announced");
    }
  }
}
