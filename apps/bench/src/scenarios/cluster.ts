import { runFanout } from "../load/fanout-window";
import { type Fleet, groupRooms, openFleet, pairRooms } from "../load/fleet";
import { spreadOf } from "../measure/spread";
import { readProcSample } from "../proc/proc-stat";
import type { ClusterResult, ClusterRun, ClusterTarget, ClusterWorkloadName } from "../results-cluster";
import { redisPids, startCluster } from "../systems/cluster";
import type { RunningSystem } from "../systems/systems";
import { describeError, type ScenarioContext, startContext } from "./context";
import { sendersOf } from "./group-fanout";

interface WorkloadPlan {
  workload: ClusterWorkloadName;
  roomSize: number;
  firstRoom: number;
  rooms: number[][];
}

function cpuOf(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + (readProcSample(pid)?.cpuSeconds ?? 0), 0);
}

/**
 * Several instances against one: `instances` mpchat servers (real processes) on
 * one MariaDB and one Redis, users spread round-robin over them, against a
 * single instance on the same MariaDB and Redis, so that the difference is what
 * crossing instances costs (every instance decodes every event off the Redis
 * channel and pushes to its own members). Two workloads over the same users:
 * group rooms and one-to-one pairs (a pair's two users are always on different
 * instances). Driven like the group scenario (fanout-window.ts: a bounded
 * number of deliveries in flight), so CPU per delivery is comparable.
 */
export async function runCluster(ctx: ScenarioContext): Promise<ClusterResult> {
  const cfg = ctx.config.cluster;
  const group = groupRooms(cfg.users, cfg.groupSize);
  const pairs = pairRooms(cfg.users);
  const plans: WorkloadPlan[] = [
    { workload: "group", roomSize: cfg.groupSize, firstRoom: 0, rooms: group },
    { workload: "one-to-one", roomSize: 2, firstRoom: group.length, rooms: pairs },
  ];
  const allRooms = [...group, ...pairs];
  const layouts = [1, cfg.instances];
  const results: ClusterTarget[] = plans.flatMap((plan) => layouts.map((instances) => emptyTarget(instances, plan)));
  const resultFor = (instances: number, plan: WorkloadPlan) =>
    results.find((r) => r.instances === instances && r.workload === plan.workload) as ClusterTarget;

  const systems: Array<{ instances: number; system: RunningSystem; fleet: Fleet }> = [];
  try {
    for (const instances of layouts) {
      const started = Date.now();
      try {
        const system = await startCluster(instances, startContext(ctx));
        try {
          const fleet = await openFleet(system, cfg.users, allRooms, { trackCompletion: true });
          systems.push({ instances, system, fleet });
        } catch (error) {
          await system.stop();
          throw error;
        }
        ctx.log(
          `  ${instances} instance${instances === 1 ? "" : "s"}: ${cfg.users} users in ${allRooms.length} rooms (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      } catch (error) {
        for (const plan of plans) resultFor(instances, plan).error = describeError(error);
        ctx.log(`  ${instances} instance(s) failed: ${describeError(error)}`);
      }
    }

    const redis = redisPids();
    for (const plan of plans) {
      const senders = sendersOf(plan.rooms, plan.firstRoom, cfg.sendersPerRoom);
      const window = Math.max(1, Math.floor(cfg.windowDeliveries / plan.roomSize));
      const run = async (entry: (typeof systems)[number], deliveries: number) => {
        const redisStart = cpuOf(redis);
        const outcome = await runFanout(entry.fleet, {
          messages: Math.ceil(deliveries / plan.roomSize),
          window,
          senders,
          stallTimeoutMs: 20_000,
        });
        return { outcome, redisCpuSeconds: redis.length > 0 ? cpuOf(redis) - redisStart : null };
      };
      const deliveriesPerRun = new Map<number, number>();
      for (const entry of systems) {
        const warmup = await run(entry, cfg.warmupDeliveries);
        const pace = warmup.outcome.stats.delivered / warmup.outcome.cpu.wallSeconds;
        deliveriesPerRun.set(entry.instances, Math.max(plan.roomSize * 10, Math.round(pace * cfg.runSeconds)));
      }
      for (let rep = 0; rep < ctx.config.repetitions; rep++) {
        for (const entry of systems) {
          const { outcome, redisCpuSeconds } = await run(entry, deliveriesPerRun.get(entry.instances) ?? 0);
          const delivered = outcome.stats.delivered;
          const record: ClusterRun = {
            deliveries: delivered,
            wallSeconds: outcome.cpu.wallSeconds,
            serverCpuSeconds: outcome.cpu.serverCpuSeconds,
            redisCpuSeconds,
            databaseCpuSeconds: outcome.cpu.databaseCpuSeconds,
            deliveriesPerServerCpuSecond: delivered / Math.max(outcome.cpu.serverCpuSeconds, 0.01),
            deliveriesPerSecond: delivered / outcome.cpu.wallSeconds,
            pushP99Ms: outcome.stats.push.p99Ms,
            completed: outcome.completed,
            errors: outcome.stats.errors,
          };
          resultFor(entry.instances, plan).runs.push(record);
          ctx.log(
            `  ${plan.workload}, rep ${rep + 1}, ${entry.instances} instance(s): ${Math.round(record.deliveriesPerServerCpuSecond)} deliveries/server-CPU-s, ${Math.round(record.deliveriesPerSecond)}/s, ${micros(record.serverCpuSeconds, delivered)} µs server CPU and ${micros(redisCpuSeconds, delivered)} µs Redis CPU per delivery${record.completed ? "" : " INCOMPLETE"}`,
          );
        }
      }
    }

    for (const entry of systems) {
      await entry.fleet.traffic.waitForQuiet(30_000);
      const integrity = entry.fleet.traffic.integrity();
      for (const plan of plans) summarize(resultFor(entry.instances, plan), integrity);
    }
  } finally {
    for (const entry of systems) await entry.fleet.close();
    await Promise.all(systems.map((entry) => entry.system.stop()));
  }
  return {
    instances: cfg.instances,
    users: cfg.users,
    groupSize: cfg.groupSize,
    sendersPerRoom: cfg.sendersPerRoom,
    windowDeliveries: cfg.windowDeliveries,
    runSeconds: cfg.runSeconds,
    targets: results,
  };
}

function micros(cpuSeconds: number | null, deliveries: number): string {
  return cpuSeconds === null ? "n/a" : ((cpuSeconds * 1e6) / Math.max(deliveries, 1)).toFixed(1);
}

function summarize(result: ClusterTarget, integrity: ClusterTarget["integrity"]): void {
  const perDelivery = (pick: (run: ClusterRun) => number | null) => {
    const values = result.runs.flatMap((run) => {
      const cpu = pick(run);
      return cpu === null ? [] : [(cpu * 1e6) / Math.max(run.deliveries, 1)];
    });
    return values.length > 0 ? spreadOf(values) : null;
  };
  result.integrity = integrity;
  result.deliveriesPerServerCpuSecond = spreadOf(result.runs.map((r) => r.deliveriesPerServerCpuSecond));
  result.deliveriesPerSecond = spreadOf(result.runs.map((r) => r.deliveriesPerSecond));
  result.serverCpuMicrosPerDelivery = perDelivery((r) => r.serverCpuSeconds) ?? spreadOf([]);
  result.redisCpuMicrosPerDelivery = perDelivery((r) => r.redisCpuSeconds);
  result.databaseCpuMicrosPerDelivery = perDelivery((r) => r.databaseCpuSeconds);
  result.pushP99Ms = spreadOf(result.runs.map((r) => r.pushP99Ms));
}

function emptyTarget(instances: number, plan: WorkloadPlan): ClusterTarget {
  const empty = spreadOf([]);
  return {
    workload: plan.workload,
    instances,
    roomSize: plan.roomSize,
    rooms: plan.rooms.length,
    deliveriesPerServerCpuSecond: empty,
    deliveriesPerSecond: empty,
    serverCpuMicrosPerDelivery: empty,
    redisCpuMicrosPerDelivery: null,
    databaseCpuMicrosPerDelivery: null,
    pushP99Ms: empty,
    runs: [],
    integrity: null,
    error: null,
  };
}
