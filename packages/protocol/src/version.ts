import * as v from "valibot";

/** Wire protocol version (protocol 1.1 is version 2). Bumped only for changes an old peer cannot ignore. */
export const PROTOCOL_VERSION = 2 as const;

/**
 * The versions a server of this package serves. Version 1's wire is a subset of
 * version 2's (every 1.1 addition is optional or a new frame an old client
 * skips), so a v1 client, which sends no version, keeps working.
 */
export const SERVED_PROTOCOL_VERSIONS: readonly number[] = [1, PROTOCOL_VERSION];

/**
 * A version as `auth` and `ready` carry it: any safe integer. One that is not
 * served is refused with close 4426, not as a malformed frame; a value that is
 * not an integer at all is `bad_request`.
 */
export const ProtocolVersionSchema = v.pipe(v.number(), v.safeInteger("must be an integer"));
