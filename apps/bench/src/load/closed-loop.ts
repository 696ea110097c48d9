import { sleep } from "../client/clock";
import type { WindowStats } from "../client/traffic";
import { type CpuWindow, startCpuWindow } from "../measure/cpu-window";
import type { Fleet } from "./fleet";

export interface ClosedLoopPlan {
  /** Sends awaiting their ack, all users together (each user has at most one). */
  concurrency: number;
  seconds: number;
  /** Sends to start at least, however long they take (a warm-up that reaches every user). */
  minSends?: number;
  drainTimeoutMs: number;
  roomOf(user: number): number;
}

export interface ClosedLoopResult {
  stats: WindowStats;
  cpu: CpuWindow;
  drained: boolean;
}

/**
 * Closed loop for throughput: `concurrency` sends are always awaiting their ack;
 * each ack lets the longest-idle user send the next. Throughput is what the
 * server sustains; latency is bounded by the concurrency (Little's law).
 */
export async function runClosedLoop(fleet: Fleet, plan: ClosedLoopPlan): Promise<ClosedLoopResult> {
  const { traffic, users } = fleet;
  // A ring of idle users: each user has at most one send outstanding, so `users` slots suffice.
  const idle = new Int32Array(users);
  let head = 0;
  let size = users;
  for (let i = 0; i < users; i++) idle[i] = i;
  let inFlight = 0;
  let started = 0;
  let running = true;
  let reachedMinimum: (() => void) | undefined;
  const minimum = new Promise<void>((resolve) => {
    reachedMinimum = resolve;
  });
  if ((plan.minSends ?? 0) <= 0) reachedMinimum?.();

  const pump = () => {
    while (running && inFlight < plan.concurrency && size > 0) {
      const user = idle[head] as number;
      head = (head + 1) % users;
      size--;
      inFlight++;
      started++;
      if (started >= (plan.minSends ?? 0)) reachedMinimum?.();
      traffic.send(user, plan.roomOf(user));
    }
  };
  traffic.onSendSettled = (sender) => {
    inFlight--;
    idle[(head + size) % users] = sender;
    size++;
    pump();
  };

  traffic.beginWindow();
  const stop = startCpuWindow(fleet.system);
  pump();
  await Promise.all([sleep(plan.seconds * 1000), minimum]);
  running = false;
  const drained = await traffic.waitForQuiet(plan.drainTimeoutMs);
  const cpu = stop();
  traffic.onSendSettled = null;
  return { stats: traffic.windowStats(), cpu, drained };
}
