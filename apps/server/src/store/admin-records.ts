/**
 * Records of the operators' tools (admin API): bans and the audit log, as the
 * Store port speaks them. Kept apart from store.ts so that each table's shape is in one place.
 */

/** A user banned by an operator. Their logins and tokens are refused while it lasts. */
export interface BanRecord {
  userId: string;
  reason: string;
  createdAt: number;
  /** Epoch ms when the ban ends by itself; absent: until an operator lifts it. */
  untilMs?: number;
}

/** One admin API call: who, what, when, why and how it was answered. */
export interface AuditEntry {
  /** Epoch ms. */
  at: number;
  /** Who called (the caller's address: there is one admin token). */
  actor: string;
  /** What was done, e.g. `user.ban`. */
  action: string;
  /** What it was done to (a user, report, message or conversation id). */
  target?: string;
  reason?: string;
  /** The HTTP status it was answered with. */
  status: number;
}

export interface AdminStore {
  /** Bans the user, replacing an earlier ban of theirs. */
  putBan(ban: BanRecord): Promise<void>;
  /** The user's ban as stored (it may have ended: see `untilMs`), null when none. */
  getBan(userId: string): Promise<BanRecord | null>;
  /** Lifts the user's ban; true when there was one. */
  deleteBan(userId: string): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /**
   * The newest `limit` entries, newest first (in the order they were written);
   * without the entries whose action is one of `leaveOut` (the read-only calls).
   */
  listAudit(limit: number, leaveOut?: readonly string[]): Promise<AuditEntry[]>;
}
