import { sleep } from "../client/clock";
import type { WindowStats } from "../client/traffic";
import { type CpuWindow, startCpuWindow } from "../measure/cpu-window";
import type { Fleet } from "./fleet";

export interface FanoutPlan {
  messages: number;
  /** Messages whose pushes have not all arrived yet, at most. */
  window: number;
  /** Who sends where, used round-robin. */
  senders: ReadonlyArray<{ sender: number; room: number }>;
  /** Give up when no push arrived for this long. */
  stallTimeoutMs: number;
}

export interface FanoutResult {
  stats: WindowStats;
  cpu: CpuWindow;
  /** Every push of every message arrived. */
  completed: boolean;
}

/**
 * Fan-out at the server's pace: a bounded number of messages are "in the air"
 * (sent, not yet received by every member); each fully delivered message lets
 * the next one go. The server stays busy without unbounded queues, which is
 * the regime where deliveries per CPU-second are comparable between systems.
 * Needs a Fleet opened with trackCompletion.
 */
export async function runFanout(fleet: Fleet, plan: FanoutPlan): Promise<FanoutResult> {
  const { traffic } = fleet;
  let sent = 0;
  let inAir = 0;
  let cursor = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const pump = () => {
    while (sent < plan.messages && inAir < plan.window) {
      const next = plan.senders[cursor++ % plan.senders.length];
      if (!next) break;
      sent++;
      inAir++;
      traffic.send(next.sender, next.room);
    }
    if (sent >= plan.messages && inAir === 0) finish();
  };
  traffic.onMessageDelivered = () => {
    inAir--;
    pump();
  };

  traffic.beginWindow();
  const stop = startCpuWindow(fleet.system);
  pump();
  let completed = false;
  let lastDelivered = -1;
  // Watchdog: progress is checked, never assumed.
  for (;;) {
    const done = await Promise.race([finished.then(() => true), sleep(plan.stallTimeoutMs).then(() => false)]);
    if (done) {
      completed = await traffic.waitForQuiet(plan.stallTimeoutMs);
      break;
    }
    const delivered = traffic.windowStats().delivered;
    if (delivered === lastDelivered) break;
    lastDelivered = delivered;
  }
  const cpu = stop();
  traffic.onMessageDelivered = null;
  return { stats: traffic.windowStats(), cpu, completed };
}
