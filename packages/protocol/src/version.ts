/** Wire protocol version. Bumped only for changes an old peer cannot ignore. */
export const PROTOCOL_VERSION = 1 as const;
