/**
 * Who muted a conversation's notifications (a member's `muted` setting).
 *
 * HOOK: the per-member settings live on branch i13-messages
 * (`members.notifications_muted`). Until it is merged, `NO_MUTES_YET` answers
 * "nobody"; on merge, answer from the store instead (or add the condition to
 * `selectNoticeCandidates` in store/sql/notice-queries.ts, one query fewer)
 * and drop this default.
 */
export interface NoticeMutes {
  /** The users among `userIds` who muted the conversation. */
  mutedAmong(conversationId: string, userIds: readonly string[]): Promise<Set<string>>;
}

export const NO_MUTES_YET: NoticeMutes = {
  mutedAmong: async () => new Set(),
};
