import { CloseCode } from "@mpchat/protocol";
import type { BusEvent } from "../bus/bus";
import type { UserConnectionCounter } from "../bus/user-connection-counter";
import type { ChatLogger } from "../chat/deps";
import type { Connection } from "./connection";
import type { ConnectionRegistry } from "./registry";

export type ConnectionReplaced = Extract<BusEvent, { type: "connection_replaced" }>;

export interface UserConnectionLimitOptions {
  limit: number;
  registry: ConnectionRegistry<Connection>;
  /** With Redis: the count across instances; without, only this instance's connections count. */
  counter?: UserConnectionCounter;
  /** Where a `connection_replaced` goes so that every instance hears it. */
  publish: (event: ConnectionReplaced) => Promise<void>;
  log: ChatLogger;
}

const REASON = "replaced by a newer connection of this user";

/**
 * MAX_CONNECTIONS_PER_USER: past it, the user's oldest connections close with
 * 4409 (replaced), after answering the requests they already took. This
 * instance's own connections are checked at once (without Redis that is the
 * whole rule); with a counter the limit holds across instances: the counter
 * names the oldest wherever they are, and a bus event closes them there.
 * Redis failures never fail a connection: the local rule still holds.
 */
export class UserConnectionLimit {
  private readonly ids = new WeakMap<Connection, string>();
  private opened = 0;

  constructor(private readonly options: UserConnectionLimitOptions) {}

  /** The connection authenticated (it is already in the registry). */
  authenticated(connection: Connection, userId: string): void {
    const { registry, limit, counter, log } = this.options;
    const open = registry.connectionsOf(userId).filter((c) => !c.closing);
    for (const oldest of open.slice(0, Math.max(0, open.length - limit))) {
      oldest.close(CloseCode.Replaced, REASON);
    }
    if (!counter) return;
    const id = counter.idFor(++this.opened);
    this.ids.set(connection, id);
    counter.opened(userId, id, limit).then(
      (replaced) => {
        if (replaced.length === 0) return;
        this.options
          .publish({ type: "connection_replaced", userId, connectionIds: replaced })
          .catch((error: unknown) => log.warn({ err: error, userId }, "connection_replaced not published"));
      },
      (error: unknown) => log.warn({ err: error, userId }, "connection not counted across instances"),
    );
  }

  closed(connection: Connection, userId: string): void {
    const id = this.ids.get(connection);
    if (id === undefined || !this.options.counter) return;
    this.ids.delete(connection);
    this.options.counter
      .closed(userId, id)
      .catch((error: unknown) =>
        this.options.log.warn(
          { err: error, userId },
          "closed connection still counted (the oldest, it is the first trimmed)",
        ),
      );
  }

  /** Bus subscriber: closes the listed connections that are on this instance. */
  replaced(event: ConnectionReplaced): void {
    const wanted = new Set(event.connectionIds);
    for (const connection of this.options.registry.connectionsOf(event.userId)) {
      const id = this.ids.get(connection);
      if (id !== undefined && wanted.has(id)) connection.close(CloseCode.Replaced, REASON);
    }
  }
}
