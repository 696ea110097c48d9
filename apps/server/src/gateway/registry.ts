import type { WireFrame } from "./wire-frame";

/** Something a frame can be written to. */
export interface Outlet {
  write(frame: WireFrame): void;
}

/** The authenticated connections of this instance, by user. */
export class ConnectionRegistry<C extends Outlet> {
  private readonly byUser = new Map<string, Set<C>>();

  /** Returns true when this is the user's first connection here. */
  add(userId: string, connection: C): boolean {
    const existing = this.byUser.get(userId);
    if (existing) {
      existing.add(connection);
      return false;
    }
    this.byUser.set(userId, new Set([connection]));
    return true;
  }

  /** Returns true when this was the user's last connection here. */
  remove(userId: string, connection: C): boolean {
    const connections = this.byUser.get(userId);
    if (!connections?.delete(connection)) return false;
    if (connections.size > 0) return false;
    this.byUser.delete(userId);
    return true;
  }

  /** Writes the same frame to every connection of every listed user; returns how many connections. */
  deliver(userIds: Iterable<string>, frame: WireFrame): number {
    let written = 0;
    for (const userId of userIds) {
      const connections = this.byUser.get(userId);
      if (!connections) continue;
      for (const connection of connections) connection.write(frame);
      written += connections.size;
    }
    return written;
  }

  isOnline(userId: string): boolean {
    return this.byUser.has(userId);
  }
}
