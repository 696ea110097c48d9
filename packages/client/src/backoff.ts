/** Reconnect and retry delays: full-jitter exponential backoff. */
export interface BackoffOptions {
  /** Ceiling of the first delay. */
  baseMs: number;
  /** Largest ceiling, however many attempts failed. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Delay before retry number `attempt` (0 for the first retry): a uniformly random
 * value in [0, min(maxMs, baseMs * 2^attempt)). Full jitter spreads the clients a
 * server restart disconnected, so they do not all come back in the same instant.
 * Pure: `random` returns a number in [0, 1).
 */
export function retryDelayMs(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
