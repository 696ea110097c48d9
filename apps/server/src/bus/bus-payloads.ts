import type { BusEvent } from "./bus";

/**
 * Largest message the bus puts on Redis. Redis cuts a subscriber whose output
 * buffer passes its pub/sub limit (8 MB for a minute, 32 MB at once, by
 * default): a few events of many megabytes would unsubscribe every instance.
 */
export const MAX_BUS_MESSAGE_BYTES = 1024 * 1024;

/** An event that cannot be made small enough (one recipient's part alone is too big). */
export class BusMessageTooLargeError extends Error {
  override readonly name = "BusMessageTooLargeError";
}

/**
 * The Redis payloads of one event, each at most `maxBytes` (UTF-8). An event
 * too big is split by whom it is for (recipients, or a conversation's
 * members): each part goes to a disjoint set of users, and a receiver cannot
 * tell the parts from the whole. `encode` makes a payload of an event.
 */
export function payloadsOf(
  event: BusEvent,
  encode: (event: BusEvent) => string,
  maxBytes = MAX_BUS_MESSAGE_BYTES,
): string[] {
  const payload = encode(event);
  if (Buffer.byteLength(payload) <= maxBytes) return [payload];
  const halves = split(event);
  if (!halves) throw new BusMessageTooLargeError(`a ${event.type} event of ${payload.length} chars cannot be split`);
  return halves.flatMap((half) => payloadsOf(half, encode, maxBytes));
}

/** The event in two parts for disjoint halves of its audience; undefined when its audience is one user or none. */
function split(event: BusEvent): [BusEvent, BusEvent] | undefined {
  switch (event.type) {
    case "conversation": {
      const [a, b] = halve(event.members);
      return a && b
        ? [
            { ...event, members: a },
            { ...event, members: b },
          ]
        : undefined;
    }
    case "members_removed": {
      const [a, b] = halve(event.userIds);
      return a && b
        ? [
            { ...event, userIds: a },
            { ...event, userIds: b },
          ]
        : undefined;
    }
    case "session_ended":
    case "user_banned":
    case "user_unbanned":
    case "connection_replaced":
      // A few ids: never near the bound.
      return undefined;
    default: {
      const [a, b] = halve(event.recipients);
      return a && b
        ? [
            { ...event, recipients: a },
            { ...event, recipients: b },
          ]
        : undefined;
    }
  }
}

function halve<T>(list: readonly T[]): [T[], T[]] | [] {
  if (list.length < 2) return [];
  const middle = Math.ceil(list.length / 2);
  return [list.slice(0, middle), list.slice(middle)];
}
