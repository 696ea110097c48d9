import type { ConversationKind } from "@mpchat/protocol";
import { forbidden, notFound } from "../app-error";
import type { BusEvent } from "../bus/bus";
import type { ConversationRecord, Store } from "../store/store";

/** What the hot path needs to know about a conversation: who is in it, and (groups) whether they may send. */
export interface Members {
  id: string;
  kind: ConversationKind;
  /** In the order they joined. */
  memberIds: readonly string[];
  ownerId?: string;
  adminIds?: readonly string[];
  mutedAllUntil?: number;
  mutes?: ConversationRecord["mutes"];
  dissolvedAt?: number;
}

interface Entry extends Members {
  /** Replaced, never mutated: a list handed out (e.g. as push recipients) stays as it was. */
  memberIds: readonly string[];
  set: Set<string>;
  /** After this time (deps.now) the entry is reloaded before it answers. */
  freshUntil: number;
}

export interface MembershipCacheOptions {
  /** How long an entry answers without the store. Bounds how long a missed bus event can hide a newcomer. */
  ttlMs?: number;
  /** Conversations kept; the least recently loaded go first. */
  maxEntries?: number;
}

/**
 * A positive membership cache: conversation → its members, filled from the
 * store. "Not a member" is never cached: every refusal is checked against the
 * store (the user may have been added a moment ago, maybe on another
 * instance), so the cache can only let in someone the store let in when the
 * entry was loaded.
 *
 * A membership change forgets the entry on every instance: the instance that
 * made it at once, the others when they hear its bus event (`conversation`
 * for additions, `members_removed` for removals). The next check reloads from
 * the store, so a removed member is refused and no longer named as a push
 * recipient, and a newcomer is. A load that was under way when the entry was
 * forgotten may predate the change: its answer is used by the checks that
 * waited for it, but never cached. The TTL bounds how long a change whose bus
 * event was lost (Redis unreachable) goes unseen on another instance.
 */
export class MembershipCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry | null>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: Pick<Store, "getConversation">,
    private readonly now: () => number,
    options: MembershipCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /** The conversation's members when `userId` is one of them; refuses otherwise (not_found, forbidden). */
  async require(conversationId: string, userId: string): Promise<Members> {
    const cached = this.entries.get(conversationId);
    if (cached && cached.freshUntil > this.now() && cached.set.has(userId)) return cached;
    const joined = this.loading.has(conversationId);
    let loaded = await this.load(conversationId);
    // A read shared with earlier callers may predate this user's addition: a refusal gets its own read.
    if (joined && loaded && !loaded.set.has(userId)) loaded = await this.load(conversationId);
    if (!loaded) throw notFound("conversation not found");
    if (!loaded.set.has(userId)) throw forbidden("not a member of this conversation");
    return loaded;
  }

  /** Records members known to be in the conversation (e.g. a store answer). Only ever adds. */
  learn(members: Members): void {
    const entry = this.entries.get(members.id);
    if (!entry) {
      this.insert(entryOf(members, this.now() + this.ttlMs));
      return;
    }
    const added = members.memberIds.filter((memberId) => !entry.set.has(memberId));
    if (added.length === 0) return;
    for (const memberId of added) entry.set.add(memberId);
    entry.memberIds = [...entry.memberIds, ...added];
  }

  /** The conversation's members changed: the next check reloads them, and a load under way is not kept. */
  forget(conversationId: string): void {
    this.entries.delete(conversationId);
    this.loading.delete(conversationId);
  }

  /** Bus subscriber: membership changes made on any instance reach every instance's cache. */
  hear(event: BusEvent): void {
    if (event.type === "conversation") this.forget(event.conversation.id);
    else if (event.type === "members_removed") this.forget(event.conversationId);
  }

  /** One store read per conversation at a time: concurrent misses share it. */
  private load(conversationId: string): Promise<Entry | null> {
    const inFlight = this.loading.get(conversationId);
    if (inFlight) return inFlight;
    const started = this.now();
    const loading: Promise<Entry | null> = this.store
      .getConversation(conversationId)
      .then((record) => {
        if (!record) return null;
        // The store's answer replaces the entry (it may name fewer members), fresh from when it was asked for.
        const entry = entryOf(record, started + this.ttlMs);
        // Forgotten while loading: this answer may predate the change, so it is not cached.
        if (this.loading.get(conversationId) === loading) this.insert(entry);
        return entry;
      })
      .finally(() => {
        if (this.loading.get(conversationId) === loading) this.loading.delete(conversationId);
      });
    this.loading.set(conversationId, loading);
    return loading;
  }

  private insert(entry: Entry): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(entry.id)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(entry.id, entry);
  }
}

function entryOf(members: Members, freshUntil: number): Entry {
  const memberIds = [...members.memberIds];
  const entry: Entry = { id: members.id, kind: members.kind, memberIds, set: new Set(memberIds), freshUntil };
  // Group state rides along: every change to it forgets the entry like a membership change.
  if (members.ownerId !== undefined) entry.ownerId = members.ownerId;
  if (members.adminIds !== undefined) entry.adminIds = members.adminIds;
  if (members.mutedAllUntil !== undefined) entry.mutedAllUntil = members.mutedAllUntil;
  if (members.mutes !== undefined) entry.mutes = members.mutes;
  if (members.dissolvedAt !== undefined) entry.dissolvedAt = members.dissolvedAt;
  return entry;
}
