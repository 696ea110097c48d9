import type { BenchConfig } from "../config";
import { type Fleet, openFleet } from "../load/fleet";
import type { CorePlan } from "../proc/cores";
import { type RunningSystem, type StartContext, startSystem, TARGET_LABEL, type Target } from "../systems/systems";

/** What every scenario gets from main. */
export interface ScenarioContext {
  config: BenchConfig;
  cores: CorePlan;
  logDir: string;
  log(message: string): void;
}

export function startContext(ctx: ScenarioContext, extra: Partial<StartContext> = {}): StartContext {
  return { core: ctx.cores.serverCore, logDir: ctx.logDir, ...extra };
}

/** Starts the targets side by side (nothing is measured yet); stops them all if one fails. */
export async function startSystems(
  ctx: ScenarioContext,
  targets: readonly Target[],
  extra: Partial<StartContext> = {},
): Promise<RunningSystem[]> {
  const settled = await Promise.allSettled(targets.map((target) => startSystem(target, startContext(ctx, extra))));
  const started = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) {
    await Promise.all(started.map((system) => system.stop()));
    throw failure.reason;
  }
  return started;
}

/**
 * Opens one fleet per system side by side (set-up is not measured) and logs
 * how long each took; a system whose fleet fails is reported through onError.
 */
export async function openFleets(
  ctx: ScenarioContext,
  systems: readonly RunningSystem[],
  users: number,
  rooms: readonly (readonly number[])[],
  options: { trackCompletion?: boolean },
  onError: (target: Target, error: unknown) => void,
): Promise<Map<Target, Fleet>> {
  const fleets = new Map<Target, Fleet>();
  await Promise.all(
    systems.map(async (system) => {
      const started = Date.now();
      try {
        fleets.set(system.target, await openFleet(system, users, rooms, options));
        ctx.log(
          `  ${TARGET_LABEL[system.target]}: ${users} users connected in ${rooms.length} rooms (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
      } catch (error) {
        ctx.log(`  ${TARGET_LABEL[system.target]} failed: ${describeError(error)}`);
        onError(system.target, error);
      }
    }),
  );
  // Keep the order of `systems` so that runs alternate in a fixed order.
  return new Map(
    systems.flatMap((system) => {
      const fleet = fleets.get(system.target);
      return fleet ? [[system.target, fleet] as const] : [];
    }),
  );
}

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
}
