import type { ConversationKind } from "@mpchat/protocol";
import type { BusEvent } from "../bus/bus";
import type { Store } from "../store/store";
import { forbidden, notFound } from "./errors";

/** What the hot path needs to know about a conversation: who is in it. */
export interface Members {
  id: string;
  kind: ConversationKind;
  /** In the order they joined. */
  memberIds: readonly string[];
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
 * store and extended when members are added. Protocol v1 never removes a
 * member, so "is a member" once true stays true and may be answered from
 * memory, on any instance. "Not a member" is never cached: every refusal is
 * checked against the store (the user may have been added a moment ago, maybe
 * on another instance), so the cache can only ever let in someone the store
 * lets in.
 *
 * The member list also names a message's push recipients. Additions made on
 * this instance and those heard on the bus (`conversation` events) extend it at
 * once; the TTL bounds how long an addition whose bus event was lost can go
 * unseen (the newcomer then catches up through `sync`, as after any lost push).
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

  /**
   * Records members known to be in the conversation (a store answer, or an
   * addition committed here or announced on the bus). Only ever adds.
   */
  learn(members: Members): void {
    const entry = this.entries.get(members.id);
    if (!entry) {
      this.insert({
        id: members.id,
        kind: members.kind,
        memberIds: [...members.memberIds],
        set: new Set(members.memberIds),
        freshUntil: this.now() + this.ttlMs,
      });
      return;
    }
    const added = members.memberIds.filter((memberId) => !entry.set.has(memberId));
    if (added.length === 0) return;
    for (const memberId of added) entry.set.add(memberId);
    entry.memberIds = [...entry.memberIds, ...added];
  }

  /** Bus subscriber: additions made on any instance reach every instance's cache. */
  hear(event: BusEvent): void {
    if (event.type !== "conversation") return;
    // Every view carries the full member list; the first one suffices.
    const view = event.views[0];
    if (view) this.learn(view.conversation);
  }

  /** One store read per conversation at a time: concurrent misses share it. */
  private load(conversationId: string): Promise<Entry | null> {
    const inFlight = this.loading.get(conversationId);
    if (inFlight) return inFlight;
    const started = this.now();
    const loading = this.store
      .getConversation(conversationId)
      .then((record) => {
        if (!record) return null;
        this.learn(record);
        const entry = this.entries.get(conversationId);
        // The store's answer is as fresh as the moment it was asked for.
        if (entry) entry.freshUntil = Math.max(entry.freshUntil, started + this.ttlMs);
        return entry ?? null;
      })
      .finally(() => this.loading.delete(conversationId));
    this.loading.set(conversationId, loading);
    return loading;
  }

  private insert(entry: Entry): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(entry.id, entry);
  }
}
