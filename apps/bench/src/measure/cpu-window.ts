import { readProcSample } from "../proc/proc-stat";
import type { RunningSystem } from "../systems/systems";

/** CPU spent during one measured window, by the server (all instances of a cluster), the generator (this process) and the database. */
export interface CpuWindow {
  wallSeconds: number;
  serverCpuSeconds: number;
  generatorCpuSeconds: number;
  /** MariaDB's CPU in the window; null for systems without a database process. */
  databaseCpuSeconds: number | null;
}

function sumCpu(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += readProcSample(pid)?.cpuSeconds ?? 0;
  return total;
}

/** Starts the clocks; the returned function stops them. */
export function startCpuWindow(system: RunningSystem): () => CpuWindow {
  const databasePids = system.databasePids();
  const wallStart = process.hrtime.bigint();
  const servers = system.servers ?? [system.server];
  const serverCpu = () => servers.reduce((sum, server) => sum + server.sample().cpuSeconds, 0);
  const serverStart = serverCpu();
  const generatorStart = process.cpuUsage();
  const databaseStart = sumCpu(databasePids);
  return () => {
    const generator = process.cpuUsage(generatorStart);
    return {
      wallSeconds: Number(process.hrtime.bigint() - wallStart) / 1e9,
      serverCpuSeconds: serverCpu() - serverStart,
      generatorCpuSeconds: (generator.user + generator.system) / 1e6,
      databaseCpuSeconds: databasePids.length > 0 ? sumCpu(databasePids) - databaseStart : null,
    };
  };
}
