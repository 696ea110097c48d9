import { readFileSync } from "node:fs";
import { sleep } from "../client/clock";
import type { FrameSink } from "../client/system-client";
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
export async function runIdleMemory(ctx: ScenarioContext): Promise<IdleResult> {
  const connections = Math.min(ctx.config.idle.connections, openFileBudget());
  const results: IdleTarget[] = TARGETS.map((target) => ({
    target,
    connections,
    rssBytesPerConnection: spreadOf([]),
    jsBytesPerConnection: spreadOf([]),
    runs: [],
    error: null,
  }));
  for (let rep = 0; rep < ctx.config.repetitions; rep++) {
    for (const result of results) {
      if (result.error) continue;
      try {
        const run = await measureOnce(ctx, result.target, connections);
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
  return { connections, targets: results };
}

async function measureOnce(ctx: ScenarioContext, target: Target, connections: number): Promise<IdleRun> {
  const system = await startSystem(target, startContext(ctx));
  try {
    const warm = system.makeClient("warm");
    await warm.prepareUsers(50);
    await warm.connect(new IdleSink());
    await warm.close();

    const client = system.makeClient("idle");
    await client.prepareUsers(connections);
    // Let closes and timers of the warm-up settle before the baseline.
    await sleep(500);
    const before = await system.server.memory();
    const sink = new IdleSink();
    await client.connect(sink);
    await sleep(1000);
    const after = await system.server.memory();
    await client.close();
    if (sink.closes > 0) throw new Error(`${sink.closes} idle connections were closed by the server`);
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

/** The generator holds one descriptor per connection: stay well inside its open-file limit. */
function openFileBudget(): number {
  try {
    const limits = readFileSync("/proc/self/limits", "utf8");
    const soft = Number(/Max open files\s+(\d+)/.exec(limits)?.[1]);
    return Number.isFinite(soft) && soft > 0 ? soft - 512 : 10_000;
  } catch {
    return 10_000;
  }
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
