import type { SessionService } from "../auth/sessions";
import type { ChatLogger } from "../chat/deps";
import type { GatewayMetrics } from "../metrics/gateway-metrics";
import type { Connection } from "./connection";
import type { Dispatcher } from "./dispatch";
import type { GatewayLimits } from "./limits";

/** What a Connection needs from the gateway that owns it. */
export interface ConnectionContext {
  limits: GatewayLimits;
  heartbeatMs: number;
  recallWindowMs: number;
  /** Checks `auth` tokens: signature, expiry, and that the session has not ended. */
  sessions: Pick<SessionService, "authenticate" | "mediaToken">;
  dispatcher: Dispatcher;
  now: () => number;
  log: ChatLogger;
  metrics: GatewayMetrics;
  isShuttingDown(): boolean;
  /** A request was taken: shutdown waits until it is answered (`requestAnswered`). */
  requestTaken(): void;
  requestAnswered(): void;
  onAuthenticated(connection: Connection, userId: string): void;
  /** The socket closed; `userId` is unset when it never authenticated. */
  onClosed(connection: Connection, userId: string | undefined): void;
}
