import { runClosedLoop } from "../load/closed-loop";
import { runFanout } from "../load/fanout-window";
import { type Fleet, groupRooms, openFleet, pairRooms } from "../load/fleet";
import { runOpenLoop } from "../load/open-loop";
import { freePort } from "../proc/free-port";
import { InspectorProfiler } from "../proc/inspector-profiler";
import { summarizeProfile } from "../report/profile-summary";
import type { BenchResults, ProfileSummary } from "../results";
import { startSystem, type Target } from "../systems/systems";
import { describeError, type ScenarioContext, startContext } from "./context";
import { sendersOf } from "./group-fanout";

export const PROFILE_KINDS = [
  "durable-sqlite",
  "durable-mariadb",
  "group-10",
  "group-100",
  "group-1000",
  "one-to-one",
] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

const TITLE: Record<ProfileKind, string> = {
  "durable-sqlite": "Durable writes end to end",
  "durable-mariadb": "Durable writes end to end",
  "group-10": "Group fan-out, rooms of 10",
  "group-100": "Group fan-out, rooms of 100",
  "group-1000": "Group fan-out, rooms of 1,000",
  "one-to-one": "One-to-one at half saturation",
};

/** Which profiles explain the floors mpchat missed in `results`. */
export function profilesForMissedFloors(results: BenchResults): ProfileKind[] {
  const kinds = new Set<ProfileKind>();
  const fanoutSizes = new Set<number>();
  for (const floor of results.floors) {
    if (floor.met !== false) continue;
    if (floor.id === "e2e-mpchat-sqlite" || floor.id === "store-sqlite") kinds.add("durable-sqlite");
    if (floor.id === "e2e-mpchat-mariadb" || floor.id === "store-mariadb") kinds.add("durable-mariadb");
    const fanout = /^fanout-\w+-(\d+)$/.exec(floor.id);
    if (fanout && ["10", "100", "1000"].includes(fanout[1] ?? "")) fanoutSizes.add(Number(fanout[1]));
    if (floor.id === "one-to-one-p99") kinds.add("one-to-one");
  }
  // One fan-out profile is enough to see what a delivery costs: the smallest room size missed
  // (most messages per delivery, so it shows the per-message path as well).
  const smallest = Math.min(...fanoutSizes);
  if (Number.isFinite(smallest)) kinds.add(`group-${smallest}` as ProfileKind);
  return [...kinds];
}

/**
 * Runs each workload once more against a fresh mpchat started with the
 * inspector, and records a CPU profile of the server for exactly the loaded
 * window. Not part of the measured numbers (profiling slows the server).
 */
export async function runProfiles(
  ctx: ScenarioContext,
  kinds: readonly ProfileKind[],
  results: BenchResults,
): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  for (const kind of kinds) {
    const target: Target = kind === "durable-mariadb" ? "mpchat-mariadb" : "mpchat-sqlite";
    const inspectPort = await freePort();
    let fleet: Fleet | undefined;
    const system = await startSystem(target, startContext(ctx, { nodeFlags: [`--inspect=127.0.0.1:${inspectPort}`] }));
    try {
      fleet = await prepare(ctx, kind, system);
      const profiler = await InspectorProfiler.connect(inspectPort);
      await profiler.start();
      const seconds = ctx.config.mode === "quick" ? 3 : 8;
      await drive(ctx, kind, fleet, seconds, results);
      const profile = await profiler.stop();
      profiler.close();
      const summary = summarizeProfile(profile, TITLE[kind], target);
      summaries.push(summary);
      ctx.log(
        `  ${TITLE[kind]} (${target}): top ${summary.top
          .slice(0, 3)
          .map((e) => `${e.functionName} ${e.selfPercent}%`)
          .join(", ")}`,
      );
    } catch (error) {
      ctx.log(`  profile ${kind} failed: ${describeError(error)}`);
    } finally {
      await fleet?.close();
      await system.stop();
    }
  }
  return summaries;
}

async function prepare(
  ctx: ScenarioContext,
  kind: ProfileKind,
  system: Awaited<ReturnType<typeof startSystem>>,
): Promise<Fleet> {
  if (kind.startsWith("durable")) {
    const { users, concurrency } = ctx.config.durable;
    const fleet = await openFleet(system, users, pairRooms(users));
    // As in the measured scenario: every pair sends once before the profile (its membership load).
    await runClosedLoop(fleet, {
      concurrency,
      seconds: 0,
      minSends: users,
      drainTimeoutMs: 30_000,
      roomOf: (user) => Math.floor(user / 2),
    });
    return fleet;
  }
  if (kind === "one-to-one") return openFleet(system, ctx.config.oneToOne.users, pairRooms(ctx.config.oneToOne.users));
  const size = Number(kind.slice("group-".length));
  return openFleet(system, ctx.config.group.users, groupRooms(ctx.config.group.users, size), { trackCompletion: true });
}

async function drive(
  ctx: ScenarioContext,
  kind: ProfileKind,
  fleet: Fleet,
  seconds: number,
  results: BenchResults,
): Promise<void> {
  if (kind.startsWith("durable")) {
    await runClosedLoop(fleet, {
      concurrency: ctx.config.durable.concurrency,
      seconds,
      drainTimeoutMs: 30_000,
      roomOf: (user) => Math.floor(user / 2),
    });
    return;
  }
  if (kind === "one-to-one") {
    const measured = results.oneToOne?.targets.find((t) => t.target === "mpchat-sqlite")?.halfRate;
    const rate = measured && Number.isFinite(measured) ? measured : 1000;
    const users = fleet.users;
    await runOpenLoop(fleet, {
      rate,
      seconds,
      drainTimeoutMs: 30_000,
      pick: (k) => ({ sender: k % users, room: Math.floor((k % users) / 2) }),
    });
    return;
  }
  const size = Number(kind.slice("group-".length));
  const senders = sendersOf(fleet.rooms, 0, ctx.config.group.sendersPerRoom);
  const measuredRate = results.group?.targets.find((t) => t.target === "mpchat-sqlite" && t.size === size)
    ?.deliveriesPerSecond.median;
  const deliveries = Math.round((measuredRate && Number.isFinite(measuredRate) ? measuredRate : 30_000) * seconds);
  await runFanout(fleet, {
    messages: Math.ceil(deliveries / size),
    window: Math.max(1, Math.floor(ctx.config.group.windowDeliveries / size)),
    senders,
    stallTimeoutMs: 20_000,
  });
}
