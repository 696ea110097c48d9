import { CloseCode, type ReadyFrame, type ServerFrame } from "@mpchat/protocol";
import { type BackoffOptions, retryDelayMs } from "./backoff";
import { Connection } from "./connection";
import type { OfflineReason, StateEvent } from "./events";
import type { Timers } from "./ports/timers";
import type { SocketCloseInfo, Transport } from "./ports/transport";

export interface KeeperSettings {
  transport: Transport;
  url: string;
  getToken: () => string | Promise<string>;
  timers: Timers;
  random: () => number;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface KeeperHooks {
  /** A new connection is authenticated. `generation` names it until `onLost(generation)`. */
  onReady(connection: Connection, ready: ReadyFrame, generation: number): void;
  onPush(frame: ServerFrame): void;
  /** The authenticated connection of that generation is gone. */
  onLost(generation: number): void;
  onState(event: StateEvent): void;
  /** The server refused the token; the keeper stopped. */
  onUnauthorized(message: string): void;
  /** Getting a token failed; a retry is scheduled. */
  onTokenError(error: unknown): void;
}

type Mode = "stopped" | "running" | "suspended" | "refused";

/**
 * Close codes after which reconnecting cannot help, and the reason reported. Every
 * other close (4408 auth or heartbeat timeout, 1001 shutdown, a cut link, ...) is
 * retried with the same token: a slow network must never log a user out.
 */
const STOPPING_CLOSES: ReadonlyMap<number, OfflineReason> = new Map<number, OfflineReason>([
  [CloseCode.Unauthorized, "unauthorized"],
  [CloseCode.Banned, "banned"],
  [CloseCode.Replaced, "replaced"],
  [CloseCode.VersionNotServed, "unsupported_version"],
]);

/**
 * Keeps one authenticated connection alive: opens it, replaces it when it dies
 * after a full-jitter backoff (reset once a connection reaches `ready`), stops
 * on 4401 (token refused), 4403 (banned), 4409 (replaced) and 4426 (version). Every socket gets a generation number; callbacks of any
 * other generation than the current one are stale and ignored.
 */
export class ConnectionKeeper {
  private mode: Mode = "stopped";
  /** Why the server stopped us, while `mode` is `refused`. */
  private refusal: OfflineReason | null = null;
  private attempt = 0;
  private generation = 0;
  private current: Connection | null = null;
  private readyGeneration = 0;
  private retryTimer: unknown;

  constructor(
    private readonly settings: KeeperSettings,
    private readonly hooks: KeeperHooks,
  ) {}

  /** The authenticated connection, if there is one. */
  get connection(): Connection | null {
    return this.current?.ready ? this.current : null;
  }

  start(): void {
    if (this.mode === "running") return;
    this.mode = "running";
    this.attempt = 0;
    void this.open();
  }

  stop(): void {
    this.halt("stopped", "closed");
  }

  /** The token was refused elsewhere (HTTP 401): stop as for a 4401 close. */
  refuse(message: string): void {
    if (this.mode !== "running") return;
    this.refusal = "unauthorized";
    this.halt("refused", "unauthorized");
    this.hooks.onUnauthorized(message);
  }

  suspend(): void {
    if (this.mode !== "running") return;
    this.halt("suspended", "suspended");
  }

  /** Back from the background: connect now, without waiting for a scheduled retry. */
  resume(): void {
    // Replaced by another connection of ours: coming back to this device is the user's choice, not a loop.
    const replaced = this.mode === "refused" && this.refusal === "replaced";
    if (this.mode === "suspended" || replaced || (this.mode === "running" && !this.current)) {
      this.settings.timers.clearTimeout(this.retryTimer);
      this.mode = "running";
      this.attempt = 0;
      void this.open();
    } else if (this.mode === "running") {
      // The socket may have died while the JS thread was frozen without anyone telling us.
      this.current?.probe();
    }
  }

  private halt(mode: Mode, reason: OfflineReason): void {
    const wasRunning = this.mode === "running";
    this.mode = mode;
    this.settings.timers.clearTimeout(this.retryTimer);
    this.dropCurrent(1000, reason);
    if (wasRunning) this.hooks.onState({ state: "offline", reason });
  }

  /** Abandon the current socket: bump the generation first so its callbacks are ignored. */
  private dropCurrent(code: number, reason: string): void {
    const connection = this.current;
    this.current = null;
    this.generation += 1;
    if (connection) connection.close(code, reason);
    this.reportLost();
  }

  private reportLost(): void {
    if (this.readyGeneration === 0) return;
    const lost = this.readyGeneration;
    this.readyGeneration = 0;
    this.hooks.onLost(lost);
  }

  private async open(): Promise<void> {
    this.generation += 1;
    const generation = this.generation;
    this.hooks.onState({ state: "connecting" });
    let token: string;
    try {
      token = await this.settings.getToken();
    } catch (error) {
      if (generation !== this.generation || this.mode !== "running") return;
      this.hooks.onTokenError(error);
      this.scheduleRetry();
      return;
    }
    if (generation !== this.generation || this.mode !== "running") return;
    const { transport, url, timers, requestTimeoutMs, connectTimeoutMs } = this.settings;
    const connection = new Connection(
      { transport, url, token, timers, requestTimeoutMs, connectTimeoutMs },
      {
        onReady: (ready) => {
          if (generation !== this.generation) return;
          // A healthy connection: the next failure starts the backoff from the beginning.
          this.attempt = 0;
          this.readyGeneration = generation;
          this.hooks.onState({ state: "online", userId: ready.userId });
          this.hooks.onReady(connection, ready, generation);
        },
        onPush: (frame) => {
          if (generation === this.generation) this.hooks.onPush(frame);
        },
        onClosed: (info) => {
          if (generation === this.generation) this.handleClosed(info);
        },
      },
    );
    this.current = connection;
    connection.start();
  }

  private handleClosed(info: SocketCloseInfo): void {
    this.current = null;
    this.generation += 1;
    this.reportLost();
    if (this.mode !== "running") return;
    const refusal = STOPPING_CLOSES.get(info.code);
    if (refusal) {
      this.mode = "refused";
      this.refusal = refusal;
      if (refusal === "unauthorized") {
        this.hooks.onState({ state: "offline", reason: refusal });
        this.hooks.onUnauthorized(info.reason || "token refused");
      } else {
        this.hooks.onState({ state: "offline", reason: refusal, message: info.reason });
      }
      return;
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = retryDelayMs(this.attempt, this.settings.random, this.settings.backoff);
    this.attempt += 1;
    this.hooks.onState({ state: "offline", reason: "retrying", retryInMs: delay });
    this.settings.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.settings.timers.setTimeout(() => {
      if (this.mode === "running" && !this.current) void this.open();
    }, delay);
  }
}
