/**
 * Preloaded (`node --import`) into every server process the bench starts, so
 * that mpchat and the baselines are measured the same way without any of them
 * carrying bench code: on an IPC "memory" request it runs a full GC (the
 * process is started with --expose-gc) and answers with process.memoryUsage().
 */
interface MemoryRequest {
  type: "memory";
  id: number;
}

function isMemoryRequest(value: unknown): value is MemoryRequest {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "memory";
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

if (process.send) {
  process.on("message", (request: unknown) => {
    if (!isMemoryRequest(request)) return;
    // Two passes: the first may only promote what the second can free.
    collectGarbage?.();
    collectGarbage?.();
    process.send?.({
      type: "memory",
      id: request.id,
      gcRan: collectGarbage !== undefined,
      usage: process.memoryUsage(),
    });
  });
  // The probe must never be what keeps a server alive after it has shut down.
  process.channel?.unref();
}

export {};
