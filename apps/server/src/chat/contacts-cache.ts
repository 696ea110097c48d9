import type { BusEvent } from "../bus/bus";

/** How long a user's contacts are kept at most (a safety net: changes evict them at once, see `hear`). */
export const CONTACTS_TTL_MS = 30_000;
/** Most users whose contacts are kept; past it the oldest entry goes. */
export const CONTACTS_MAX_ENTRIES = 10_000;

/**
 * "Who shares a conversation with this user" (the store's contactsOf), kept for
 * a while: presence asks it at each connect and disconnect, and a client that
 * reconnects in a loop would otherwise cost two queries per round. Concurrent
 * misses share one query. A conversation event (created, members added) evicts
 * every member it names, on every instance (it comes over the bus).
 */
export class ContactsCache {
  private readonly entries = new Map<string, { contacts: Promise<string[]>; at: number }>();

  constructor(
    private readonly load: (userId: string) => Promise<string[]>,
    private readonly now: () => number,
  ) {}

  get(userId: string): Promise<string[]> {
    const entry = this.entries.get(userId);
    if (entry && this.now() - entry.at < CONTACTS_TTL_MS) return entry.contacts;
    this.entries.delete(userId);
    const contacts = this.load(userId);
    this.entries.set(userId, { contacts, at: this.now() });
    // A failed lookup is not kept: the next change asks again.
    contacts.catch(() => {
      if (this.entries.get(userId)?.contacts === contacts) this.entries.delete(userId);
    });
    if (this.entries.size > CONTACTS_MAX_ENTRIES) {
      const [oldest] = this.entries.keys();
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return contacts;
  }

  /**
   * Bus subscriber: a conversation event changes its members' contacts. A removal
   * names only the removed, yet changes every remaining member's contacts too:
   * removals are rare, so the whole cache goes (nobody removed keeps getting presence).
   */
  hear(event: BusEvent): void {
    if (event.type === "conversation") for (const member of event.members) this.entries.delete(member.userId);
    else if (event.type === "members_removed") this.entries.clear();
  }
}
