import { runClosedLoop } from "../load/closed-loop";
import { type Fleet, pairRooms } from "../load/fleet";
import { spreadOf } from "../measure/spread";
import { startBatchCounters } from "../measure/store-counters";
import type { DurableResult, DurableRun, DurableTarget } from "../results";
import { mysqlAdminUrl, mysqlAvailable } from "../systems/mariadb";
import { type RunningSystem, TARGET_LABEL, type Target } from "../systems/systems";
import { describeError, openFleets, type ScenarioContext, startSystems } from "./context";

/** mpchat on both stores, and the bare ws server as the no-storage reference for the same workload. */
const TARGETS: readonly Target[] = ["mpchat-sqlite", "mpchat-mariadb", "ws"];

/**
 * Scenario 4a: durable writes end to end. Pairs of users send through the
 * WebSocket in a closed loop with a fixed number of sends awaiting their ack;
 * mpchat acks only after the commit, so acked messages per second is the
 * stored-and-acked throughput. The generator's CPU is reported beside it to
 * show whether the generator was the limit; MariaDB's CPU is reported too.
 */
export async function runDurableWrites(ctx: ScenarioContext): Promise<DurableResult> {
  const cfg = ctx.config.durable;
  const rooms = pairRooms(cfg.users);
  const roomOf = (user: number) => Math.floor(user / 2);
  const results = new Map<Target, DurableTarget>(TARGETS.map((t) => [t, emptyTarget(t)]));
  let systems: RunningSystem[] = [];
  let fleets = new Map<Target, Fleet>();
  const mariadbReachable = await mysqlAvailable();
  try {
    const targets = TARGETS.filter((target) => {
      if (target !== "mpchat-mariadb" || mariadbReachable) return true;
      const result = results.get(target);
      if (result) result.error = `MariaDB not reachable at ${redact(mysqlAdminUrl())} (set MYSQL_URL)`;
      ctx.log(`  ${result?.error}`);
      return false;
    });
    systems = await startSystems(ctx, targets);
    fleets = await openFleets(ctx, systems, cfg.users, rooms, {}, (target, error) => {
      const result = results.get(target);
      if (result) result.error = describeError(error);
    });
    // A send the server refuses for overload is retried until acked: acked/s counts every message.
    for (const fleet of fleets.values()) fleet.traffic.retryRefused = true;
    for (const fleet of fleets.values()) {
      await runClosedLoop(fleet, {
        concurrency: cfg.concurrency,
        seconds: cfg.warmupSeconds,
        // Every user sends at least once: each conversation's first send (its membership
        // load) is then behind us, not a large share of a short measured run.
        minSends: cfg.users,
        drainTimeoutMs: 30_000,
        roomOf,
      });
    }

    for (let rep = 0; rep < ctx.config.repetitions; rep++) {
      for (const [target, fleet] of fleets) {
        const result = results.get(target);
        if (!result) continue;
        const counters = await startBatchCounters(fleet.system);
        const outcome = await runClosedLoop(fleet, {
          concurrency: cfg.concurrency,
          seconds: cfg.seconds,
          drainTimeoutMs: 30_000,
          roomOf,
        });
        const { stats, cpu } = outcome;
        const batch = await counters();
        const run: DurableRun = {
          ackedPerSecond: stats.acked / cpu.wallSeconds,
          ackP50Ms: stats.ack.p50Ms,
          ackP99Ms: stats.ack.p99Ms,
          pushP99Ms: stats.push.p99Ms,
          serverCpuUtilisation: cpu.serverCpuSeconds / cpu.wallSeconds,
          generatorCpuUtilisation: cpu.generatorCpuSeconds / cpu.wallSeconds,
          databaseCpuUtilisation: cpu.databaseCpuSeconds === null ? null : cpu.databaseCpuSeconds / cpu.wallSeconds,
          drained: outcome.drained,
          errors: stats.errors,
          refused: stats.refusedRetried,
          serverCpuMicrosPerMessage: stats.acked > 0 ? (cpu.serverCpuSeconds * 1e6) / stats.acked : null,
          batch,
        };
        result.runs.push(run);
        ctx.log(
          `  rep ${rep + 1} ${TARGET_LABEL[target]}: ${Math.round(run.ackedPerSecond)} acked/s, ack p99 ${run.ackP99Ms} ms, server CPU ${pct(run.serverCpuUtilisation)}, generator ${pct(run.generatorCpuUtilisation)}${run.databaseCpuUtilisation === null ? "" : `, MariaDB ${pct(run.databaseCpuUtilisation)}`}${costs(run)}${run.refused ? `, refused (retried) ${run.refused}` : ""}${Object.keys(run.errors).length ? ` errors ${JSON.stringify(run.errors)}` : ""}`,
        );
      }
    }

    for (const [target, fleet] of fleets) {
      const result = results.get(target);
      if (!result) continue;
      await fleet.traffic.waitForQuiet(30_000);
      result.integrity = fleet.traffic.integrity();
      result.ackedPerSecond = spreadOf(result.runs.map((r) => r.ackedPerSecond));
      result.ackP99Ms = spreadOf(result.runs.map((r) => r.ackP99Ms));
      result.pushP99Ms = spreadOf(result.runs.map((r) => r.pushP99Ms));
      result.generatorCpuUtilisation = spreadOf(result.runs.map((r) => r.generatorCpuUtilisation));
      result.serverCpuUtilisation = spreadOf(result.runs.map((r) => r.serverCpuUtilisation));
      const database = result.runs.map((r) => r.databaseCpuUtilisation).filter((v): v is number => v !== null);
      result.databaseCpuUtilisation = database.length > 0 ? spreadOf(database) : null;
    }
  } finally {
    for (const fleet of fleets.values()) await fleet.close();
    await Promise.all(systems.map((system) => system.stop()));
  }
  return {
    users: cfg.users,
    concurrency: cfg.concurrency,
    seconds: cfg.seconds,
    targets: TARGETS.map((t) => results.get(t) ?? emptyTarget(t)),
  };
}

function emptyTarget(target: Target): DurableTarget {
  const empty = spreadOf([]);
  return {
    target,
    durable: target !== "ws",
    ackedPerSecond: empty,
    ackP99Ms: empty,
    pushP99Ms: empty,
    generatorCpuUtilisation: empty,
    serverCpuUtilisation: empty,
    databaseCpuUtilisation: null,
    runs: [],
    integrity: null,
    error: null,
  };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

/** Server CPU per acked message, and what a group-commit batch held and sent to MariaDB. */
function costs(run: DurableRun): string {
  const parts: string[] = [];
  if (run.serverCpuMicrosPerMessage != null)
    parts.push(`${Math.round(run.serverCpuMicrosPerMessage)} server CPU-µs/msg`);
  const batch = run.batch;
  if (batch && batch.batches > 0) {
    parts.push(`${batch.batches} batches of ${(batch.messages / batch.batches).toFixed(1)} msgs`);
    if (batch.statementsPerBatch !== null && batch.preparedPerBatch !== null)
      parts.push(
        `${batch.statementsPerBatch.toFixed(2)} statements/batch (${batch.preparedPerBatch.toFixed(2)} prepared; MariaDB-wide counters)`,
      );
  }
  return parts.length > 0 ? `; ${parts.join(", ")}` : "";
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
