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

/**
 * The pause after the `streak`-th refusal in a row for overload (`unavailable`
 * with `retryAfterMs`; 1 for the first): never less than what the server asked,
 * doubled with each refusal of the streak up to `maxMs` (never below the ask),
 * plus up to half of it again at random, so that the refused clients do not all
 * come back at the same instant. Pure: `random` returns a number in [0, 1).
 */
export function overloadPauseMs(
  retryAfterMs: number,
  streak: number,
  random: () => number,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const exponent = Math.min(Math.max(streak - 1, 0), 30);
  const grown = Math.max(retryAfterMs, Math.min(options.maxMs, retryAfterMs * 2 ** exponent));
  return grown + Math.floor(random() * (grown / 2));
}
