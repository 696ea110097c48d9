import { type Fleet, pairRooms } from "../load/fleet";
import { runOpenLoop } from "../load/open-loop";
import { spreadOf } from "../measure/spread";
import type { OneToOneResult, OneToOneTarget, StepRecord } from "../results";
import { TARGET_LABEL, type Target } from "../systems/systems";
import { describeError, openFleets, type ScenarioContext, startSystems } from "./context";
import { RateLadder } from "./rate-ladder";
import { stepRecord } from "./step-record";

const TARGETS: readonly Target[] = ["mpchat-sqlite", "mpchat-mariadb", "ws", "socketio"];

/**
 * Scenario 1: one-to-one chat. 1,000 users in 500 pairs, open-loop sends spread
 * evenly over all users, rates stepping up until the p99 from send to the
 * peer's push passes the bound; then the p99 at half that saturation rate.
 * Steps are alternated between the systems so that drifting machine load hits
 * all of them alike.
 */
export async function runOneToOne(ctx: ScenarioContext): Promise<OneToOneResult> {
  const cfg = ctx.config.oneToOne;
  const users = cfg.users;
  const pick = (k: number) => {
    const sender = k % users;
    return { sender, room: Math.floor(sender / 2) };
  };
  const run = (fleet: Fleet, rate: number, seconds: number) =>
    runOpenLoop(fleet, { rate, seconds, drainTimeoutMs: cfg.drainTimeoutMs, pick });

  const systems = await startSystems(ctx, TARGETS);
  let fleets = new Map<Target, Fleet>();
  const results = new Map<Target, OneToOneTarget>();
  for (const target of TARGETS) results.set(target, emptyTarget(target));
  try {
    fleets = await openFleets(ctx, systems, users, pairRooms(users), {}, (target, error) => {
      const result = results.get(target);
      if (result) result.error = describeError(error);
    });
    for (const fleet of fleets.values()) await run(fleet, cfg.startRate, cfg.warmupSeconds);

    for (let rep = 0; rep < ctx.config.repetitions; rep++) {
      const ladders = new Map(
        [...fleets.keys()].map((t) => [t, new RateLadder(cfg.startRate, cfg.growth, cfg.refineSteps, cfg.maxRate)]),
      );
      const steps = new Map<Target, StepRecord[]>([...fleets.keys()].map((t) => [t, []]));
      for (;;) {
        const active = [...ladders].filter(([, ladder]) => ladder.next() !== null);
        if (active.length === 0) break;
        for (const [target, ladder] of active) {
          const fleet = fleets.get(target);
          const rate = ladder.next();
          if (!fleet || rate === null) continue;
          const record = stepRecord(await run(fleet, rate, cfg.stepSeconds), cfg.p99LimitMs);
          steps.get(target)?.push(record);
          ladder.report(rate, record.passed);
          ctx.log(
            `  rep ${rep + 1} ${TARGET_LABEL[target]} @ ${rate}/s: push p99 ${record.pushP99Ms} ms, server CPU ${pct(record.serverCpuUtilisation)}, generator ${pct(record.generatorCpuUtilisation)} ${record.passed ? "ok" : `FAIL (${record.reason})`}`,
          );
          if (!record.passed && !(await fleet.traffic.waitForQuiet(30_000))) {
            ladders.delete(target);
            ctx.log(`  ${TARGET_LABEL[target]} did not recover from overload; ladder stopped`);
          }
        }
      }
      for (const [target, ladder] of ladders) {
        const result = results.get(target);
        if (!result) continue;
        result.ladders.push(steps.get(target) ?? []);
        result.saturationRate.runs.push(ladder.saturation);
        result.capped ||= ladder.capped;
      }
    }

    for (const result of results.values()) {
      result.saturationRate = spreadOf(result.saturationRate.runs);
      result.halfRate = Math.max(100, Math.round(result.saturationRate.median / 2 / 100) * 100);
    }
    for (let rep = 0; rep < ctx.config.repetitions; rep++) {
      for (const [target, fleet] of fleets) {
        const result = results.get(target);
        if (!result || !Number.isFinite(result.saturationRate.median)) continue;
        const record = stepRecord(await run(fleet, result.halfRate, cfg.halfSeconds), cfg.p99LimitMs);
        result.halfRuns.push(record);
        ctx.log(
          `  rep ${rep + 1} ${TARGET_LABEL[target]} @ half saturation ${result.halfRate}/s: push p99 ${record.pushP99Ms} ms`,
        );
      }
    }

    for (const [target, fleet] of fleets) {
      const result = results.get(target);
      if (!result) continue;
      result.halfPushP50Ms = spreadOf(result.halfRuns.map((r) => r.pushP50Ms));
      result.halfPushP99Ms = spreadOf(result.halfRuns.map((r) => r.pushP99Ms));
      result.halfAckP99Ms = spreadOf(result.halfRuns.map((r) => r.ackP99Ms));
      await fleet.traffic.waitForQuiet(30_000);
      result.integrity = fleet.traffic.integrity();
    }
  } finally {
    for (const fleet of fleets.values()) await fleet.close();
    await Promise.all(systems.map((system) => system.stop()));
  }
  return {
    users,
    p99LimitMs: cfg.p99LimitMs,
    stepSeconds: cfg.stepSeconds,
    targets: TARGETS.map((t) => results.get(t) ?? emptyTarget(t)),
  };
}

function emptyTarget(target: Target): OneToOneTarget {
  const empty = spreadOf([]);
  return {
    target,
    saturationRate: empty,
    capped: false,
    ladders: [],
    halfRate: 0,
    halfPushP50Ms: empty,
    halfPushP99Ms: empty,
    halfAckP99Ms: empty,
    halfRuns: [],
    integrity: null,
    error: null,
  };
}

export function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
