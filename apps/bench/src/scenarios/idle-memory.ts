import { readFileSync } from "node:fs";
import { sleep } from "../client/clock";
import type { FrameSink } from "../client/system-client";
import { idleHolders } from "../load/idle-holders";
import { spreadOf } from "../measure/spread";
import type { IdleResult, IdleRun, IdleTarget } from "../results";
import { startSystem, TARGET_LABEL, type Target } from "../systems/systems";
import { describeError, type ScenarioContext, startContext } from "./context";

const TARGETS: readonly Target[] = ["mpchat-sqlite", "ws", "socketio"];

/** Idle connections only count what arrives unexpectedly. */
class IdleSink implements FrameSink {
  closes = 0;
  onAck(): void {}
  onPush(): void {}
  onError(): void {}
  onUnexpectedClose(): void {
    this.closes++;
  }
}

/**
 * Scenario 3: idle connections, memory per connection after GC. Each run uses
 * a fresh server: users are prepared first (mpchat: dev login over HTTP, so
 * that HTTP and database caches are in the baseline), a few connections warm
 * the code paths, then the server's memory is read after a full GC (through
 * the IPC probe, --expose-gc), N connections are opened (authenticated, no
 * rooms), and memory is read again after GC. The difference over N is the
 * per-connection cost. Systems alternate run by run.
 */
export async function runIdleMemory(ctx: ScenarioContext, targets: readonly Target[] = TARGETS): Promise<IdleResult> {
  const requested = ctx.config.idle.connections;
  const hardLimit = openFileHardLimit();
  // The server holds every connection in one process: its open-file limit (the hard limit, see server-process.ts) caps them.
  const connections = Math.min(requested, hardLimit === null ? requested : hardLimit - SERVER_FD_RESERVE);
  if (connections < requested)
    ctx.log(
      `  ${connections} connections instead of ${requested}: the open-file hard limit per process is ${hardLimit}`,
    );
  const results: IdleTarget[] = targets.map((target) => ({
    target,
    connections,
    rssBytesPerConnection: spreadOf([]),
    jsBytesPerConnection: spreadOf([]),
    runs: [],
    error: null,
  }));
  let runIndex = 0;
  for (let rep = 0; rep < ctx.config.idle.repetitions; rep++) {
    for (const result of results) {
      if (result.error) continue;
      try {
        const run = await measureOnce(ctx, result.target, connections, runIndex++);
        result.runs.push(run);
        ctx.log(
          `  rep ${rep + 1} ${TARGET_LABEL[result.target]}: ${connections} idle connections, ${kib(run.rssBytesPerConnection)} KiB RSS and ${kib(run.jsBytesPerConnection)} KiB heap+external each`,
        );
      } catch (error) {
        result.error = describeError(error);
        ctx.log(`  ${TARGET_LABEL[result.target]} failed: ${describeError(error)}`);
      }
    }
  }
  for (const result of results) {
    result.rssBytesPerConnection = spreadOf(result.runs.map((r) => r.rssBytesPerConnection));
    result.jsBytesPerConnection = spreadOf(result.runs.map((r) => r.jsBytesPerConnection));
  }
  return { connections, requestedConnections: requested, openFileHardLimit: hardLimit, targets: results };
}

async function measureOnce(
  ctx: ScenarioContext,
  target: Target,
  connections: number,
  runIndex: number,
): Promise<IdleRun> {
  const system = await startSystem(target, startContext(ctx));
  try {
    const warm = system.makeClient("warm");
    await warm.prepareUsers(50);
    await warm.connect(new IdleSink());
    await warm.close();

    // Held by child processes (idle-holders.ts): one process could not hold 20,000 sockets besides its own files.
    const holders = idleHolders(system, connections, { core: ctx.cores.generatorCore, userPrefix: "idle", runIndex });
    let before: Awaited<ReturnType<typeof system.server.memory>>;
    let after: typeof before;
    let closes = 0;
    try {
      await holders.prepare();
      // Let closes and timers of the warm-up settle before the baseline.
      await sleep(500);
      before = await system.server.memory();
      closes = await holders.connect();
      await sleep(1000);
      after = await system.server.memory();
    } finally {
      // Both counts are the holders' totals so far: the later one includes the earlier.
      closes = Math.max(closes, await holders.close().catch(() => 0));
    }
    if (closes > 0) throw new Error(`${closes} idle connections were closed by the server`);
    const js = (m: typeof before) => m.heapUsed + m.external;
    return {
      connections,
      rssBytesPerConnection: (after.rss - before.rss) / connections,
      heapBytesPerConnection: (after.heapUsed - before.heapUsed) / connections,
      jsBytesPerConnection: (js(after) - js(before)) / connections,
      rssBefore: before.rss,
      rssAfter: after.rss,
      gcRan: after.gcRan,
    };
  } finally {
    await system.stop();
  }
}

/** Descriptors a server needs besides its connections (stdio, IPC, listener, epoll, database files, logs). */
const SERVER_FD_RESERVE = 256;

/** The open-file hard limit every process of the bench inherits (servers raise their soft limit to it). */
function openFileHardLimit(): number | null {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const hard = /Max open files\s+\S+\s+(\d+)/.exec(limits)?.[1];
    return hard === undefined ? null : Number(hard);
  } catch {
    return null;
  }
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
