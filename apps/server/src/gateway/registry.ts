import type { WireFrame } from "./wire-frame";

/** Something a frame can be written to. */
export interface Outlet {
  write(frame: WireFrame): void;
}

/**
 * The authenticated connections of this instance, by user. Most users have one
 * connection: it is kept as is, and a Set is made only for a user's second one
 * (a Set per user would be memory every idle connection keeps).
 */
export class ConnectionRegistry<C extends Outlet> {
  private readonly byUser = new Map<string, C | Set<C>>();

  /** Returns true when this is the user's first connection here. */
  add(userId: string, connection: C): boolean {
    const existing = this.byUser.get(userId);
    if (existing === undefined) {
      this.byUser.set(userId, connection);
      return true;
    }
    if (existing instanceof Set) existing.add(connection);
    else if (existing !== connection) this.byUser.set(userId, new Set([existing, connection]));
    return false;
  }

  /** Returns true when this was the user's last connection here. */
  remove(userId: string, connection: C): boolean {
    const existing = this.byUser.get(userId);
    if (existing === connection) {
      this.byUser.delete(userId);
      return true;
    }
    if (!(existing instanceof Set) || !existing.delete(connection)) return false;
    if (existing.size === 1) {
      const [last] = existing;
      if (last) this.byUser.set(userId, last);
    }
    return false;
  }

  /** Writes the same frame to every connection of every listed user; returns how many connections. */
  deliver(userIds: Iterable<string>, frame: WireFrame): number {
    let written = 0;
    for (const userId of userIds) {
      const connections = this.byUser.get(userId);
      if (connections === undefined) continue;
      if (connections instanceof Set) {
        for (const connection of connections) connection.write(frame);
        written += connections.size;
      } else {
        connections.write(frame);
        written++;
      }
    }
    return written;
  }

  /** The user's connections here, oldest first. */
  connectionsOf(userId: string): C[] {
    const existing = this.byUser.get(userId);
    if (existing === undefined) return [];
    return existing instanceof Set ? [...existing] : [existing];
  }

  isOnline(userId: string): boolean {
    return this.byUser.has(userId);
  }
}
