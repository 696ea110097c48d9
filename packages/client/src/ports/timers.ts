/**
 * Timers, injectable so that tests can drive time. The default uses the global
 * setTimeout/clearTimeout, which vitest's fake timers replace.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Declared here rather than pulling in the DOM or Node typings: every runtime the
// client targets (mini program, browser, Node) has these two globals.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;

/** Looks the globals up on each call, so fake timers installed later still apply. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};
