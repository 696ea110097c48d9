import type { Store } from "../store/store";

interface Entry {
  /** The session's user (unknown for a session that does not exist or was heard ended). */
  userId: string | undefined;
  live: boolean;
  /** After this time (deps.now) a live entry is read again; an ended one never is. */
  freshUntil: number;
}

export interface SessionCacheOptions {
  /**
   * How long "live" is answered from memory. Logout reaches every instance over
   * the bus at once; this bounds how long a logout whose bus event was lost can
   * go unseen by HTTP and new sockets.
   */
  ttlMs?: number;
  /** Sessions kept; the least recently loaded go first. */
  maxEntries?: number;
}

/**
 * Whether a session still lives, cheap on the hot path (every 🔒 request and
 * every `auth`): a live answer is kept for `ttlMs`, an ended one for good
 * (sessions never come back). Logouts heard on the bus mark the session ended
 * at once on every instance.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly store: Pick<Store, "getSession">,
    private readonly now: () => number,
    options: SessionCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 3_000;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /** True while the session exists, belongs to `userId` and has not ended. Throws when the store cannot answer. */
  async isLive(sessionId: string, userId: string): Promise<boolean> {
    const cached = this.entries.get(sessionId);
    const entry = cached && (!cached.live || cached.freshUntil > this.now()) ? cached : await this.load(sessionId);
    return entry.live && entry.userId === userId;
  }

  /** One store read per session at a time: concurrent misses share it. */
  private load(sessionId: string): Promise<Entry> {
    const inFlight = this.loading.get(sessionId);
    if (inFlight) return inFlight;
    const loading = this.store
      .getSession(sessionId)
      .then((session) => {
        // An end heard while the read was in flight wins: the read may predate it.
        const heardEnded = this.entries.get(sessionId);
        if (heardEnded?.live === false) return heardEnded;
        const entry: Entry = {
          userId: session?.userId,
          live: session !== null && session.endedAt === null,
          freshUntil: this.now() + this.ttlMs,
        };
        this.remember(sessionId, entry);
        return entry;
      })
      .finally(() => this.loading.delete(sessionId));
    this.loading.set(sessionId, loading);
    return loading;
  }

  /** The session ended (here, or heard on the bus): refused from now on. */
  ended(sessionId: string): void {
    this.remember(sessionId, { userId: undefined, live: false, freshUntil: Number.POSITIVE_INFINITY });
  }

  private remember(sessionId: string, entry: Entry): void {
    this.entries.delete(sessionId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(sessionId, entry);
  }
}
