import type { OpenLoopResult } from "../load/open-loop";
import type { StepRecord } from "../results";

/** Judges an open-loop step against the latency bound and records what the report needs. */
export function stepRecord(result: OpenLoopResult, p99LimitMs: number): StepRecord {
  const { stats, cpu } = result;
  const errorCount = Object.values(stats.errors).reduce((sum, n) => sum + n, 0);
  let reason: string | null = null;
  if (stats.unexpectedCloses > 0) reason = `${stats.unexpectedCloses} connections closed by the server`;
  else if (errorCount > 0)
    reason = `errors: ${Object.entries(stats.errors)
      .map(([code, n]) => `${code}×${n}`)
      .join(", ")}`;
  else if (!result.drained) reason = "backlog not drained in time";
  else if (stats.push.p99Ms > p99LimitMs) reason = `push p99 ${stats.push.p99Ms} ms > ${p99LimitMs} ms`;
  return {
    rate: result.rate,
    passed: reason === null,
    reason,
    deliveredPerSecond: stats.delivered / cpu.wallSeconds,
    pushP50Ms: stats.push.p50Ms,
    pushP99Ms: stats.push.p99Ms,
    ackP99Ms: stats.ack.p99Ms,
    serverCpuUtilisation: cpu.serverCpuSeconds / cpu.wallSeconds,
    generatorCpuUtilisation: cpu.generatorCpuSeconds / cpu.wallSeconds,
    maxLagMs: result.maxLagMs,
    errors: stats.errors,
  };
}
