import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "@mpchat/server";
import { benchStore } from "./bench-store";

/**
 * Child process of the store-alone scenario, pinned to the server core: opens
 * mpchat's store (DATABASE_URL unset → SQLite in a temp folder), runs
 * mpchat's own `benchStore` (GroupCommitter, no sockets) once to warm up and
 * once measured, and prints one JSON line with the result and its CPU time.
 */
interface ChildOptions {
  messages: number;
  conversations: number;
  concurrency: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_STORE_OPTIONS ?? "{}") as ChildOptions;
  const dataDir = mkdtempSync(join(tmpdir(), "mpchat-store-bench-"));
  const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir, poolSize: 10, timeoutMs: 60_000 });
  try {
    await benchStore(store, { ...options, messages: Math.max(1000, Math.floor(options.messages / 5)) });
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const messagesPerSecond = await benchStore(store, options);
    const cpu = process.cpuUsage(cpuStart);
    const wallSeconds = (performance.now() - wallStart) / 1000;
    process.stdout.write(
      `${JSON.stringify({ messagesPerSecond, cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds })}\n`,
    );
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
