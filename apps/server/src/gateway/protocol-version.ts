import { type AuthFrame, PROTOCOL_VERSION, SERVED_PROTOCOL_VERSIONS } from "@mpchat/protocol";

/**
 * The close reason of 4426: says which versions this server serves, so the client can tell its
 * user to upgrade. No `error` frame goes before it: an error answer to `auth` would make a client
 * close with a code of its own and retry, instead of stopping on 4426.
 */
export const VERSION_NOT_SERVED_REASON = `serves protocol versions ${SERVED_PROTOCOL_VERSIONS.join(", ")}`;

/**
 * The version a session speaks: the one `auth` asked for (absent: the newest), or
 * undefined when this server does not serve it. The frame's schema already made
 * sure it is an integer; anything else was `bad_request`.
 */
export function negotiateVersion(frame: AuthFrame): number | undefined {
  const asked = frame.protocolVersion ?? PROTOCOL_VERSION;
  return SERVED_PROTOCOL_VERSIONS.includes(asked) ? asked : undefined;
}
