import type { ClosedLoopResult } from "../load/closed-loop";
import type { OpenLoopResult } from "../load/open-loop";
import { spreadOf } from "../measure/spread";
import type { SendRun, SendSummary } from "../results-send-path";

/** One window's figures, closed or open loop alike. */
export function sendRun(loop: SendRun["loop"], outcome: ClosedLoopResult | OpenLoopResult): SendRun {
  const { stats, cpu } = outcome;
  return {
    loop,
    sent: stats.sent,
    acked: stats.acked,
    ackedPerSecond: stats.acked / cpu.wallSeconds,
    ackP50Ms: stats.ack.p50Ms,
    ackP99Ms: stats.ack.p99Ms,
    pushP50Ms: stats.push.p50Ms,
    pushP99Ms: stats.push.p99Ms,
    serverCpuUtilisation: cpu.serverCpuSeconds / cpu.wallSeconds,
    serverCpuMsPerMessage: stats.acked > 0 ? (cpu.serverCpuSeconds * 1000) / stats.acked : Number.NaN,
    generatorCpuUtilisation: cpu.generatorCpuSeconds / cpu.wallSeconds,
    drained: outcome.drained,
    errors: stats.errors,
  };
}

/** Medians over `runs` (of one loop kind). */
export function summarizeRuns(runs: readonly SendRun[]): SendSummary {
  const of = (pick: (run: SendRun) => number) => spreadOf(runs.map(pick));
  return {
    ackedPerSecond: of((r) => r.ackedPerSecond),
    ackP50Ms: of((r) => r.ackP50Ms),
    ackP99Ms: of((r) => r.ackP99Ms),
    pushP99Ms: of((r) => r.pushP99Ms),
    serverCpuUtilisation: of((r) => r.serverCpuUtilisation),
    serverCpuMsPerMessage: of((r) => r.serverCpuMsPerMessage),
    generatorCpuUtilisation: of((r) => r.generatorCpuUtilisation),
  };
}

/** "1234 acked/s, ack p50 3 ms, p99 9 ms, push p99 10 ms, server CPU 80%" for the log. */
export function describeRun(run: SendRun): string {
  const errors = Object.keys(run.errors).length > 0 ? `, errors ${JSON.stringify(run.errors)}` : "";
  return `${Math.round(run.ackedPerSecond)} acked/s, ack p50 ${run.ackP50Ms} ms, p99 ${run.ackP99Ms} ms, push p99 ${run.pushP99Ms} ms, server CPU ${Math.round(run.serverCpuUtilisation * 100)}% (${run.serverCpuMsPerMessage.toFixed(2)} ms per message), generator ${Math.round(run.generatorCpuUtilisation * 100)}%${run.drained ? "" : ", NOT drained"}${errors}`;
}
