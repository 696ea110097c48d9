import { nowMicros, sleep } from "../client/clock";
import type { WindowStats } from "../client/traffic";
import { type CpuWindow, startCpuWindow } from "../measure/cpu-window";
import type { Fleet } from "./fleet";

export interface OpenLoopPlan {
  /** Messages per second, all senders together. */
  rate: number;
  seconds: number;
  drainTimeoutMs: number;
  /** The k-th send of the schedule: which user sends into which room. */
  pick(k: number): { sender: number; room: number };
}

export interface OpenLoopResult {
  rate: number;
  seconds: number;
  stats: WindowStats;
  cpu: CpuWindow;
  /** Every ack and push arrived within the drain timeout. */
  drained: boolean;
  /** How far behind its schedule the generator fell at worst (a generator at its limit shows here). */
  maxLagMs: number;
}

/**
 * Open loop: sends go out at their scheduled times whatever the server's
 * answers, and latency counts from the scheduled time, so a server that falls
 * behind cannot hide it by slowing the generator down (no coordinated omission).
 * The schedule is checked every millisecond (Node's timer granularity), which
 * adds at most ~1 ms of burstiness, the same for every system.
 */
export async function runOpenLoop(fleet: Fleet, plan: OpenLoopPlan): Promise<OpenLoopResult> {
  const { traffic } = fleet;
  traffic.beginWindow();
  const stop = startCpuWindow(fleet.system);
  const total = Math.max(1, Math.round(plan.rate * plan.seconds));
  const intervalMicros = 1e6 / plan.rate;
  const start = nowMicros() + 1000;
  let k = 0;
  let maxLag = 0;
  while (k < total) {
    const now = nowMicros();
    while (k < total) {
      const intended = start + k * intervalMicros;
      if (intended > now) break;
      const { sender, room } = plan.pick(k);
      traffic.send(sender, room, intended);
      maxLag = Math.max(maxLag, now - intended);
      k++;
    }
    if (k < total) await sleep(1);
  }
  const drained = await traffic.waitForQuiet(plan.drainTimeoutMs);
  const cpu = stop();
  return {
    rate: plan.rate,
    seconds: plan.seconds,
    stats: traffic.windowStats(),
    cpu,
    drained,
    maxLagMs: maxLag / 1000,
  };
}
