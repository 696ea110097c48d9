/** One user to add to one named room. */
export interface RoomJoin {
  user: number;
  room: string;
}

/**
 * Names `rooms` `r<n>`, continuing after the rooms already in `roomIds` (to
 * which the names are added, in order), and lists the joins that put each
 * member in its room: for the baselines, whose rooms are joined, not created.
 */
export function nameRooms(roomIds: string[], rooms: readonly (readonly number[])[]): RoomJoin[] {
  const base = roomIds.length;
  const joins: RoomJoin[] = [];
  rooms.forEach((members, index) => {
    const room = `r${base + index}`;
    roomIds.push(room);
    for (const user of members) joins.push({ user, room });
  });
  return joins;
}
