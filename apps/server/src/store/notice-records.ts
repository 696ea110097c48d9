/**
 * Records of offline notices (protocol 1.1, Offline notices), as the Store port
 * speaks them: the subscription ledger (credits per template) and the marks of
 * notices sent in a member's current offline spell.
 */

/** One user's one-time acceptances of a template that are left. */
export interface NoticeSubscription {
  templateId: string;
  credits: number;
}

/** A member who may get a notice for a conversation now: has a credit, no mark for it; `readSeq` gives the count. */
export interface NoticeCandidate {
  userId: string;
  readSeq: number;
}

/** Credits never grow past this (a client reporting in a loop must not make them unbounded). */
export const MAX_NOTICE_CREDITS = 10_000;

/** Store methods of offline notices (part of the Store port). */
export interface NoticeStore {
  /** Adds `accepted` (≥ 0) to the user's credits of the template (capped at MAX_NOTICE_CREDITS); the credits after. */
  addNoticeCredits(userId: string, templateId: string, accepted: number): Promise<number>;
  /** The user's credits, one entry per template ever reported, by template id. */
  listNoticeCredits(userId: string): Promise<NoticeSubscription[]>;
  /**
   * The members of the conversation among `userIds` who have a credit of the
   * template and no mark for the conversation (any order; empty for no ids).
   */
  noticeCandidates(conversationId: string, templateId: string, userIds: readonly string[]): Promise<NoticeCandidate[]>;
  /**
   * Atomically: when the user has a credit and no mark for the conversation,
   * marks it and uses one credit; true then. Concurrent claims (any instance)
   * for one user are serialized: at most one wins per mark, and never more than the credits.
   */
  claimNotice(claim: { userId: string; conversationId: string; templateId: string; at: number }): Promise<boolean>;
  /** Undoes a claim whose notice did not go out: removes the mark and gives the credit back. */
  releaseNotice(claim: { userId: string; conversationId: string; templateId: string }): Promise<void>;
  /** WeChat said the user has no acceptance left (43101): the credits become 0. */
  zeroNoticeCredits(userId: string, templateId: string): Promise<void>;
  /** The user is online (or just went offline): a new spell starts, every mark goes. */
  clearNoticeMarks(userId: string): Promise<void>;
}
