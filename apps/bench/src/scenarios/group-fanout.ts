import { runFanout } from "../load/fanout-window";
import { type Fleet, groupRooms } from "../load/fleet";
import { spreadOf } from "../measure/spread";
import type { FanoutRun, GroupResult, GroupTarget } from "../results";
import { TARGET_LABEL, type Target } from "../systems/systems";
import { describeError, openFleets, type ScenarioContext, startSystems } from "./context";

const TARGETS: readonly Target[] = ["mpchat-sqlite", "ws", "socketio"];

interface SizePlan {
  size: number;
  /** Index of the first room of this size among all rooms. */
  firstRoom: number;
  rooms: number[][];
}

/**
 * Scenario 2: group rooms of 10, 100 and 1,000 members over the same 1,000
 * connected users (each user is in one room of each size), fan-out driven at
 * the server's pace (fanout-window.ts). The figure of merit is deliveries per
 * CPU-second of the server process: how much fan-out a core buys.
 */
export async function runGroupFanout(ctx: ScenarioContext): Promise<GroupResult> {
  const cfg = ctx.config.group;
  const plans: SizePlan[] = [];
  const allRooms: number[][] = [];
  for (const size of cfg.sizes) {
    const rooms = groupRooms(cfg.users, size);
    plans.push({ size, firstRoom: allRooms.length, rooms });
    allRooms.push(...rooms);
  }

  const systems = await startSystems(ctx, TARGETS);
  let fleets = new Map<Target, Fleet>();
  const results: GroupTarget[] = [];
  const resultFor = (target: Target, plan: SizePlan): GroupTarget => {
    let result = results.find((r) => r.target === target && r.size === plan.size);
    if (!result) {
      result = emptyResult(target, plan);
      results.push(result);
    }
    return result;
  };
  try {
    fleets = await openFleets(ctx, systems, cfg.users, allRooms, { trackCompletion: true }, (target, error) => {
      for (const plan of plans) resultFor(target, plan).error = describeError(error);
    });

    for (const plan of plans) {
      const senders = sendersOf(plan.rooms, plan.firstRoom, cfg.sendersPerRoom);
      const window = Math.max(1, Math.floor(cfg.windowDeliveries / plan.size));
      const run = (fleet: Fleet, deliveries: number) =>
        runFanout(fleet, { messages: Math.ceil(deliveries / plan.size), window, senders, stallTimeoutMs: 20_000 });
      // The warm-up also measures each system's pace, so that every measured run lasts about runSeconds.
      const deliveriesPerRun = new Map<Target, number>();
      for (const [target, fleet] of fleets) {
        const warmup = await run(fleet, cfg.warmupDeliveries);
        const pace = warmup.stats.delivered / warmup.cpu.wallSeconds;
        deliveriesPerRun.set(target, Math.max(plan.size * 10, Math.round(pace * cfg.runSeconds)));
      }
      for (let rep = 0; rep < ctx.config.repetitions; rep++) {
        for (const [target, fleet] of fleets) {
          const result = resultFor(target, plan);
          if (result.error) continue;
          const outcome = await run(fleet, deliveriesPerRun.get(target) ?? cfg.warmupDeliveries);
          const record: FanoutRun = {
            deliveries: outcome.stats.delivered,
            wallSeconds: outcome.cpu.wallSeconds,
            serverCpuSeconds: outcome.cpu.serverCpuSeconds,
            generatorCpuSeconds: outcome.cpu.generatorCpuSeconds,
            deliveriesPerServerCpuSecond: outcome.stats.delivered / Math.max(outcome.cpu.serverCpuSeconds, 0.01),
            deliveriesPerSecond: outcome.stats.delivered / outcome.cpu.wallSeconds,
            pushP99Ms: outcome.stats.push.p99Ms,
            completed: outcome.completed,
            errors: outcome.stats.errors,
          };
          result.runs.push(record);
          ctx.log(
            `  rooms of ${plan.size}, rep ${rep + 1}, ${TARGET_LABEL[target]}: ${Math.round(record.deliveriesPerServerCpuSecond)} deliveries/server-CPU-s, ${Math.round(record.deliveriesPerSecond)}/s, push p99 ${record.pushP99Ms} ms${record.completed ? "" : " INCOMPLETE"}`,
          );
        }
      }
    }

    for (const [target, fleet] of fleets) {
      await fleet.traffic.waitForQuiet(30_000);
      const integrity = fleet.traffic.integrity();
      for (const plan of plans) {
        const result = resultFor(target, plan);
        result.integrity = integrity;
        result.deliveriesPerServerCpuSecond = spreadOf(result.runs.map((r) => r.deliveriesPerServerCpuSecond));
        result.deliveriesPerSecond = spreadOf(result.runs.map((r) => r.deliveriesPerSecond));
        result.pushP99Ms = spreadOf(result.runs.map((r) => r.pushP99Ms));
        result.generatorCpuUtilisation = spreadOf(result.runs.map((r) => r.generatorCpuSeconds / r.wallSeconds));
      }
    }
  } finally {
    for (const fleet of fleets.values()) await fleet.close();
    await Promise.all(systems.map((system) => system.stop()));
  }
  return {
    users: cfg.users,
    sendersPerRoom: cfg.sendersPerRoom,
    windowDeliveries: cfg.windowDeliveries,
    runSeconds: cfg.runSeconds,
    targets: results,
  };
}

/** Senders spread evenly over each room's members, interleaved across rooms so that every room stays busy. */
export function sendersOf(
  rooms: readonly (readonly number[])[],
  firstRoom: number,
  perRoom: number,
): Array<{ sender: number; room: number }> {
  const size = rooms[0]?.length ?? 0;
  const count = Math.min(perRoom, size);
  const stride = Math.max(1, Math.floor(size / Math.max(count, 1)));
  const senders: Array<{ sender: number; room: number }> = [];
  for (let i = 0; i < count; i++) {
    rooms.forEach((members, r) => {
      const sender = members[i * stride];
      if (sender !== undefined) senders.push({ sender, room: firstRoom + r });
    });
  }
  return senders;
}

function emptyResult(target: Target, plan: SizePlan): GroupTarget {
  const empty = spreadOf([]);
  return {
    target,
    size: plan.size,
    rooms: plan.rooms.length,
    deliveriesPerServerCpuSecond: empty,
    deliveriesPerSecond: empty,
    pushP99Ms: empty,
    generatorCpuUtilisation: empty,
    runs: [],
    integrity: null,
    error: null,
  };
}
