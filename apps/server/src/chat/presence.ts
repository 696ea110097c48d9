import type { Bus, BusEvent } from "../bus/bus";
import type { ContactsCache } from "./contacts-cache";
import type { ChatDeps } from "./deps";
import { publishQuietly } from "./publish";

export type PresenceEvent = Extract<BusEvent, { type: "presence" }>;

/**
 * Turns "this instance's first/last connection of a user" into "the user came
 * online/went offline": with one instance they are the same thing; with several,
 * only the instances together know (bus/redis-presence.ts). The tracker publishes
 * the prepared event when, and only when, the user's global state changed.
 */
export interface PresenceTracker {
  connected(userId: string, event: PresenceEvent): Promise<void>;
  disconnected(userId: string, event: PresenceEvent): Promise<void>;
}

/** One instance: every local change is a global change. */
export class LocalPresenceTracker implements PresenceTracker {
  constructor(private readonly deps: { bus: Bus; log: ChatDeps["log"] }) {}

  connected(_userId: string, event: PresenceEvent): Promise<void> {
    return this.announce(event);
  }

  disconnected(_userId: string, event: PresenceEvent): Promise<void> {
    return this.announce(event);
  }

  private async announce(event: PresenceEvent): Promise<void> {
    if (event.recipients.length > 0) await publishQuietly(this.deps, event);
  }
}

/**
 * Presence: when a user's first connection opens or last one closes, everyone
 * who shares a conversation with them hears it. Best effort, never stored.
 */
export class PresenceService {
  /** The change being announced per user: a user's changes are announced in order. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly tracker: PresenceTracker;

  constructor(
    private readonly deps: Pick<ChatDeps, "store" | "bus" | "log">,
    tracker?: PresenceTracker,
    /** Default: ask the store every time. */
    private readonly contacts: Pick<ContactsCache, "get"> = { get: (userId) => deps.store.contactsOf(userId) },
  ) {
    this.tracker = tracker ?? new LocalPresenceTracker(deps);
  }

  changed(userId: string, online: boolean): Promise<void> {
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
