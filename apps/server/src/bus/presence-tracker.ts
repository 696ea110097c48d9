import type { BusEvent } from "./bus";

export type PresenceEvent = Extract<BusEvent, { type: "presence" }>;

/**
 * The presence port. Turns "this instance's first/last connection of a user"
 * into "the user came online/went offline": with one instance they are the
 * same thing (local-presence.ts); with several, only the instances together
 * know (redis-presence.ts). The tracker publishes the prepared event when, and
 * only when, the user's global state changed.
 */
export interface PresenceTracker {
  connected(userId: string, event: PresenceEvent): Promise<void>;
  disconnected(userId: string, event: PresenceEvent): Promise<void>;
}
