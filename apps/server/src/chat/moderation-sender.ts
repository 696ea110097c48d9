/** The sender of moderation's recalls (an operator's removal, a risky media): reserved, no one logs in as it. */
export const MODERATION_SENDER = "system";
