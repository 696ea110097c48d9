import { vi } from "vitest";

/** Let every queued microtask and due timer run (fake timers), without advancing the clock. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(0);
}
