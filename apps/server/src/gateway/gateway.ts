import { CloseCode } from "@mpchat/protocol";
import type WebSocket from "ws";
import type { SessionService } from "../auth/sessions";
import type { BusEvent } from "../bus/bus";
import type { UserConnectionCounter } from "../bus/user-connection-counter";
import type { ChatLogger } from "../chat/deps";
import { DEFAULT_RECALL_WINDOW_MS } from "../chat/limits";
import type { PresenceService } from "../chat/presence";
import { type GatewayMetrics, NO_GATEWAY_METRICS } from "../metrics/gateway-metrics";
import { Connection } from "./connection";
import type { ConnectionContext } from "./connection-context";
import type { Dispatcher } from "./dispatch";
import { fanOut } from "./fanout";
import type { GatewayLimits } from "./limits";
import { ConnectionRegistry } from "./registry";
import type { FrameStream } from "./turn-cork";
import { UserConnectionLimit } from "./user-connection-limit";

export interface GatewayOptions {
  limits: GatewayLimits;
  heartbeatMs: number;
  /** Sent in `ready` (protocol 1.1): RECALL_WINDOW_MS. */
  recallWindowMs?: number;
  sessions: Pick<SessionService, "authenticate" | "mediaToken">;
  dispatcher: Dispatcher;
  presence: PresenceService;
  now: () => number;
  log: ChatLogger;
  metrics?: GatewayMetrics;
  /** With Redis: MAX_CONNECTIONS_PER_USER counts the user's connections on every instance. */
  userConnections?: UserConnectionCounter;
  /** The bus, for `connection_replaced` (needed with `userConnections`). */
  publish?: (event: BusEvent) => Promise<void>;
}

/** This instance's WebSocket side: its connections, their requests in flight, and shutdown. */
export class Gateway {
  private readonly registry = new ConnectionRegistry<Connection>();
  private readonly connections = new Set<Connection>();
  /** Sockets not yet authenticated, with their client address; and how many per address. */
  private readonly unauthenticated = new Map<Connection, string>();
  private readonly unauthenticatedPerAddress = new Map<string, number>();
  /** Requests taken and not yet answered, across connections (shutdown waits for none). */
  private inflight = 0;
  private idleWaiters: Array<() => void> = [];
  private shuttingDown = false;
  private readonly context: ConnectionContext;
  private readonly userLimit: UserConnectionLimit;

  constructor(options: GatewayOptions) {
    this.userLimit = new UserConnectionLimit({
      limit: options.limits.maxConnectionsPerUser,
      registry: this.registry,
      ...(options.userConnections ? { counter: options.userConnections } : {}),
      publish: options.publish ?? (async () => {}),
      log: options.log,
    });
    this.context = {
      limits: options.limits,
      heartbeatMs: options.heartbeatMs,
      recallWindowMs: options.recallWindowMs ?? DEFAULT_RECALL_WINDOW_MS,
      sessions: options.sessions,
      dispatcher: options.dispatcher,
      now: options.now,
      log: options.log,
      metrics: options.metrics ?? NO_GATEWAY_METRICS,
      isShuttingDown: () => this.shuttingDown,
      requestTaken: () => {
        this.inflight++;
      },
      requestAnswered: () => {
        if (--this.inflight > 0) return;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      },
      onAuthenticated: (connection, userId) => {
        this.authenticated(connection);
        if (this.registry.add(userId, connection)) void options.presence.changed(userId, true);
        this.userLimit.authenticated(connection, userId);
      },
      onClosed: (connection, userId) => {
        this.authenticated(connection);
        this.connections.delete(connection);
        if (!userId) return;
        this.userLimit.closed(connection, userId);
        if (this.registry.remove(userId, connection)) void options.presence.changed(userId, false);
      },
    };
  }

  /**
   * `stream`: the TCP socket under the WebSocket (whole frames are written to it,
   * a turn's together). `address`: the client's address (request.ip): past
   * MAX_UNAUTHENTICATED_PER_ADDRESS sockets of one address still waiting for
   * `auth`, a new one is closed with 4429 right after the upgrade.
   */
  accept(socket: WebSocket, stream?: FrameStream, address = "unknown"): void {
    if (this.shuttingDown) {
      socket.close(CloseCode.GoingAway, "server shutting down");
      return;
    }
    const waiting = this.unauthenticatedPerAddress.get(address) ?? 0;
    if (waiting >= this.context.limits.maxUnauthenticatedPerAddress) {
      socket.close(CloseCode.Flooding, "too many unauthenticated connections from this address");
      return;
    }
    const connection = new Connection(socket, this.context, stream);
    this.connections.add(connection);
    this.unauthenticated.set(connection, address);
    this.unauthenticatedPerAddress.set(address, waiting + 1);
  }

  /** The connection no longer counts toward its address's unauthenticated sockets (it authenticated or closed). */
  private authenticated(connection: Connection): void {
    const address = this.unauthenticated.get(connection);
    if (address === undefined) return;
    this.unauthenticated.delete(connection);
    const left = (this.unauthenticatedPerAddress.get(address) ?? 1) - 1;
    if (left > 0) this.unauthenticatedPerAddress.set(address, left);
    else this.unauthenticatedPerAddress.delete(address);
  }

  /** Bus subscriber: writes the event to the local sockets of its recipients. */
  deliver(event: BusEvent): void {
    if (event.type === "session_ended") {
      this.endSession(event.userId, event.sessionId);
      return;
    }
    if (event.type === "connection_replaced") {
      this.userLimit.replaced(event);
      return;
    }
    const started = performance.now();
    const written = fanOut(this.registry, event);
    if (written === 0) return;
    this.context.metrics.framesSent(event.type, written);
    this.context.metrics.pushed(event.type, (performance.now() - started) / 1000);
  }

  /** A logout (on any instance): this instance's sockets authenticated with that session close with 4401. */
  private endSession(userId: string, sessionId: string): void {
    for (const connection of this.registry.connectionsOf(userId)) {
      if (connection.sessionId === sessionId) connection.close(CloseCode.Unauthorized, "logged out");
    }
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops taking requests (new ones are answered `unavailable`), waits until every
   * request already received has been committed and answered, then closes every
   * socket with 1001. Sockets that do not finish the close handshake within
   * `closeTimeoutMs` are terminated.
   */
  async shutdown(closeTimeoutMs: number, beforeClose: () => Promise<void> = async () => {}): Promise<void> {
    this.shuttingDown = true;
    while (this.inflight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await beforeClose();
    const open = [...this.connections];
    for (const connection of open) connection.close(CloseCode.GoingAway, "server shutting down");
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), closeTimeoutMs);
    });
    const result = await Promise.race([Promise.all(open.map((c) => c.closed)), timeout]);
    clearTimeout(timer);
    if (result === "timeout") for (const connection of this.connections) connection.terminate();
  }
}
