import type { SystemClient } from "../client/system-client";
import { Traffic } from "../client/traffic";
import type { RunningSystem } from "../systems/systems";

/** One system's users, connected and placed in rooms, with the traffic engine listening to them. */
export interface Fleet {
  system: RunningSystem;
  client: SystemClient;
  traffic: Traffic;
  users: number;
  rooms: readonly (readonly number[])[];
  close(): Promise<void>;
}

export async function openFleet(
  system: RunningSystem,
  users: number,
  rooms: readonly (readonly number[])[],
  options: { trackCompletion?: boolean; userPrefix?: string } = {},
): Promise<Fleet> {
  const client = system.makeClient(options.userPrefix);
  const traffic = new Traffic(client, rooms, users, { trackCompletion: options.trackCompletion });
  await client.prepareUsers(users);
  await client.connect(traffic);
  await client.createRooms(rooms);
  return { system, client, traffic, users, rooms, close: () => client.close() };
}

/** Users 2k and 2k+1 chat together: room k. */
export function pairRooms(users: number): number[][] {
  return Array.from({ length: Math.floor(users / 2) }, (_, k) => [2 * k, 2 * k + 1]);
}

/** `users` split into consecutive rooms of `size`. */
export function groupRooms(users: number, size: number): number[][] {
  return Array.from({ length: Math.floor(users / size) }, (_, k) =>
    Array.from({ length: size }, (_, i) => k * size + i),
  );
}
