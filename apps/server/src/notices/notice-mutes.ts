/**
 * Extra mutes on top of the members' own `settings.muted` (which the store's
 * candidate query already leaves out): a seam for tests and for an operator's
 * own rules. The default adds none.
 */
export interface NoticeMutes {
  /** The users among `userIds` who muted the conversation. */
  mutedAmong(conversationId: string, userIds: readonly string[]): Promise<Set<string>>;
}

export const NO_EXTRA_MUTES: NoticeMutes = {
  mutedAmong: async () => new Set(),
};
