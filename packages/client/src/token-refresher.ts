import type { RefreshResponse } from "@mpchat/protocol";
import { type BackoffOptions, retryDelayMs } from "./backoff";
import { ChatError } from "./errors";
import type { Timers } from "./ports/timers";

export interface TokenRefresherSettings {
  /** The app's token (`token` or `getToken` of the options): used until a refresh replaced it. */
  initial: () => string | Promise<string>;
  /** POST /v1/auth/refresh with the current token. */
  refresh: () => Promise<RefreshResponse>;
  /** Re-auth the open socket, if there is one, with a fresh token (without dropping it). */
  reauth: (token: string) => Promise<void>;
  timers: Timers;
  now: () => number;
  random: () => number;
  backoff: BackoffOptions;
}

export interface TokenRefresherHooks {
  /** A refresh gave a new token: the app may store it for its next start. */
  onToken(event: { token: string; expiresAt?: number }): void;
  /** The server refused the refresh (401): the session is over; log in again. */
  onRefused(message: string): void;
  /** A refresh or re-auth failed and will be retried; for logging. */
  onError(error: ChatError): void;
}

/**
 * Keeps the token fresh (protocol 1.1, Session): when half of its remaining life
 * is gone it is refreshed over HTTP, and the open socket re-auths with the new
 * one, so that the server never closes it for expiry. The refreshed token is
 * the one every later connect and HTTP call uses.
 */
export class TokenRefresher {
  private token: string | undefined;
  private expiresAt: number | undefined;
  private timer: unknown;
  private attempt = 0;
  private running = false;

  constructor(
    private readonly settings: TokenRefresherSettings,
    private readonly hooks: TokenRefresherHooks,
  ) {}

  /** The token to use now: the refreshed one, else the app's. */
  current(): string | Promise<string> {
    return this.token ?? this.settings.initial();
  }

  /** The server said when the current token expires (`ready.tokenExpiresAt`, a login or refresh answer). */
  learnExpiry(expiresAt: number | undefined): void {
    if (expiresAt === undefined) return;
    this.expiresAt = expiresAt;
    this.running = true;
    this.attempt = 0;
    this.schedule((expiresAt - this.settings.now()) / 2);
  }

  /** No more refreshing (the client was closed); the token is kept for the next connect. */
  stop(): void {
    this.running = false;
    this.settings.timers.clearTimeout(this.timer);
  }

  /** Forget the refreshed token (logout, or a refused one): the next connect asks the app again. */
  forget(): void {
    this.stop();
    this.token = undefined;
    this.expiresAt = undefined;
  }

  private schedule(delayMs: number): void {
    const { timers } = this.settings;
    timers.clearTimeout(this.timer);
    this.timer = timers.setTimeout(() => void this.refreshNow(), Math.max(0, delayMs));
  }

  private async refreshNow(): Promise<void> {
    // An expired token cannot be refreshed: the server closes the socket (4401) and the app logs in again.
    if (!this.running || this.expiresAt === undefined || this.expiresAt <= this.settings.now()) return;
    let answer: RefreshResponse;
    try {
      answer = await this.settings.refresh();
    } catch (error) {
      if (!this.running) return;
      const chatError = error instanceof ChatError ? error : new ChatError("network", String(error));
      if (chatError.code === "unauthorized") {
        this.forget();
        this.hooks.onRefused(chatError.message);
        return;
      }
      this.hooks.onError(chatError);
      this.schedule(retryDelayMs(this.attempt++, this.settings.random, this.settings.backoff));
      return;
    }
    if (!this.running) return;
    this.token = answer.token;
    this.hooks.onToken(answer.expiresAt === undefined ? { token: answer.token } : answer);
    this.learnExpiry(answer.expiresAt);
    // A socket lost meanwhile reconnects with the new token anyway; a refused one is closed by the server (4401).
    await this.settings.reauth(answer.token).catch((error: unknown) => {
      if (error instanceof ChatError && error.code !== "connection_lost") this.hooks.onError(error);
    });
  }
}
