/**
 * "Something happened" for tests: the wx shim pulses it after each socket frame, open, close and HTTP
 * answer it hands to an app. waitUntil re-checks its condition after each pulse instead of sleeping.
 */
export class Activity {
  private waiters: Array<() => void> = [];

  pulse(): void {
    // After the app's callback, its promise chains and its coalesced render have run.
    setImmediate(() => {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
  }

  /** Resolves at the next pulse, or after `maxMs` (a fallback for changes driven by timers). */
  next(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, maxMs);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(wake);
    });
  }
}

export const activity = new Activity();

/**
 * Waits until `check` returns true (or a value other than false/undefined), re-checking after each
 * activity pulse. Fails with `what` after `timeoutMs`; never waits unbounded.
 */
export async function waitUntil<T>(what: string, check: () => T | false | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = check();
    if (result !== false && result !== undefined) return result;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await activity.next(Math.min(left, 200));
  }
}
