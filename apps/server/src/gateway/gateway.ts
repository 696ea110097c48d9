import { CloseCode } from "@mpchat/protocol";
import type WebSocket from "ws";
import type { SessionService } from "../auth/sessions";
import type { BusEvent } from "../bus/bus";
import type { ChatLogger } from "../chat/deps";
import type { PresenceService } from "../chat/presence";
import { type GatewayMetrics, NO_GATEWAY_METRICS } from "../metrics/gateway-metrics";
import { Connection } from "./connection";
import type { ConnectionContext } from "./connection-context";
import type { Dispatcher } from "./dispatch";
import { fanOut } from "./fanout";
import type { GatewayLimits } from "./limits";
import { ConnectionRegistry } from "./registry";
import type { FrameStream } from "./turn-cork";

export interface GatewayOptions {
  limits: GatewayLimits;
  heartbeatMs: number;
  sessions: Pick<SessionService, "authenticate">;
  dispatcher: Dispatcher;
  presence: PresenceService;
  now: () => number;
  log: ChatLogger;
  metrics?: GatewayMetrics;
}

/** This instance's WebSocket side: its connections, their requests in flight, and shutdown. */
export class Gateway {
  private readonly registry = new ConnectionRegistry<Connection>();
  private readonly connections = new Set<Connection>();
  /** Requests taken and not yet answered, across connections (shutdown waits for none). */
  private inflight = 0;
  private idleWaiters: Array<() => void> = [];
  private shuttingDown = false;
  private readonly context: ConnectionContext;

  constructor(options: GatewayOptions) {
    this.context = {
      limits: options.limits,
      heartbeatMs: options.heartbeatMs,
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
        if (this.registry.add(userId, connection)) void options.presence.changed(userId, true);
      },
      onClosed: (connection, userId) => {
        this.connections.delete(connection);
        if (userId && this.registry.remove(userId, connection)) void options.presence.changed(userId, false);
      },
    };
  }

  /** `stream`: the TCP socket under the WebSocket (whole frames are written to it, a turn's together). */
  accept(socket: WebSocket, stream?: FrameStream): void {
    if (this.shuttingDown) {
      socket.close(CloseCode.GoingAway, "server shutting down");
      return;
    }
    this.connections.add(new Connection(socket, this.context, stream));
  }

  /** Bus subscriber: writes the event to the local sockets of its recipients. */
  deliver(event: BusEvent): void {
    if (event.type === "session_ended") {
      this.endSession(event.userId, event.sessionId);
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
