/** Microseconds on the monotonic clock since this module loaded (process.hrtime, never wall time). */
const ORIGIN = process.hrtime.bigint();

export function nowMicros(): number {
  return Number(process.hrtime.bigint() - ORIGIN) / 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
