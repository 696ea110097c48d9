import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";

/**
 * Which core the load generator and the servers run on. With `taskset` and at
 * least two cores, the generator (this process) takes core 0 and every server
 * the last core, so that neither steals the other's CPU time; without them,
 * nothing is pinned and the report says so.
 */
export interface CorePlan {
  pinned: boolean;
  generatorCore: number | null;
  serverCore: number | null;
  cores: number;
  reason: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function planCores(): CorePlan {
  const cores = availableParallelism();
  if (cores < 2) return { pinned: false, generatorCore: null, serverCore: null, cores, reason: "one core only" };
  if (!hasTaskset()) return { pinned: false, generatorCore: null, serverCore: null, cores, reason: "no taskset" };
  return { pinned: true, generatorCore: 0, serverCore: cores - 1, cores, reason: "taskset" };
}

/** Pins every thread of this process to the generator core. */
export function pinSelf(plan: CorePlan): void {
  if (!plan.pinned || plan.generatorCore === null) return;
  execFileSync("taskset", ["-a", "-p", "-c", String(plan.generatorCore), String(process.pid)], { stdio: "ignore" });
}
