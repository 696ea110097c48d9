import type { TokenService } from "../auth/tokens";
import type { ChatLogger } from "../chat/deps";
import type { GatewayMetrics } from "../metrics/gateway-metrics";
import type { Connection } from "./connection";
import type { Dispatcher } from "./dispatch";
import type { GatewayLimits } from "./limits";

/** What a Connection needs from the gateway that owns it. */
export interface ConnectionContext {
  limits: GatewayLimits;
  heartbeatMs: number;
  tokens: TokenService;
  dispatcher: Dispatcher;
  now: () => number;
  log: ChatLogger;
  metrics: GatewayMetrics;
  isShuttingDown(): boolean;
  /** Keeps a request's promise until it settles, so that shutdown can wait for its ack. */
  track(task: Promise<void>): void;
  onAuthenticated(connection: Connection, userId: string): void;
  onClosed(connection: Connection, userId: string): void;
}
