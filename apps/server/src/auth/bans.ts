import type { Ban } from "@mpchat/protocol";
import { AppError } from "../app-error";
import type { BusEvent } from "../bus/bus";
import type { BanRecord } from "../store/admin-records";
import type { Store } from "../store/store";

interface Entry {
  ban: BanRecord | null;
  /** After this time (deps.now) the entry is read again. */
  freshUntil: number;
}

/** Whether a stored ban still holds at `now` (it ends by itself at `untilMs`). */
export function banHolds(ban: BanRecord | null, now: number): ban is BanRecord {
  return ban !== null && (ban.untilMs === undefined || now < ban.untilMs);
}

/** The refusal of a banned user's login or token: `403 forbidden`, "banned" in the message. */
export function bannedError(ban: Ban): AppError {
  const until = ban.untilMs === undefined ? "" : ` until ${new Date(ban.untilMs).toISOString()}`;
  return new AppError("forbidden", `banned${until}: ${ban.reason}`);
}

/**
 * The users an operator banned, cheap on the hot path (every login, 🔒 request and
 * `auth`): each user's ban (or its absence) is kept for `ttlMs`; a ban or unban
 * heard on the bus replaces it at once on every instance, so the TTL bounds only
 * how long a lost bus event can go unseen. An end time is checked on every call.
 */
export class BanList {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly store: Pick<Store, "getBan">,
    private readonly now: () => number,
    private readonly ttlMs = 3_000,
    private readonly maxEntries = 100_000,
  ) {}

  /** The user's ban while it holds, else null. Throws when the store cannot answer. */
  async activeBan(userId: string): Promise<BanRecord | null> {
    const now = this.now();
    const cached = this.entries.get(userId);
    const ban = cached && cached.freshUntil > now ? cached.ban : await this.load(userId);
    return banHolds(ban, now) ? ban : null;
  }

  /** Throws `403 forbidden` (banned) while the user's ban holds. */
  async refuseBanned(userId: string): Promise<void> {
    const ban = await this.activeBan(userId);
    if (ban) throw bannedError(ban);
  }

  /** Bus subscriber: a ban or unban on any instance. */
  hear(event: BusEvent): void {
    if (event.type === "user_banned") this.remember(event.userId, event.ban);
    if (event.type === "user_unbanned") this.remember(event.userId, null);
  }

  private async load(userId: string): Promise<BanRecord | null> {
    const ban = await this.store.getBan(userId);
    this.remember(userId, ban);
    return ban;
  }

  private remember(userId: string, ban: BanRecord | null): void {
    this.entries.delete(userId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(userId, { ban, freshUntil: this.now() + this.ttlMs });
  }
}
