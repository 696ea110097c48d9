import type { BenchResults } from "../results";

/** Caveats the reader of docs/benchmarks.md must see, derived from the run itself. */
export function runNotes(results: BenchResults): string[] {
  const notes: string[] = [];
  const env = results.environment;
  if (env.foreignBusyCores !== null && env.foreignBusyCores > 0.25) {
    notes.push(
      `The machine was shared during this run: on average ${env.foreignBusyCores.toFixed(2)} of ${results.machine.cores} cores were busy with processes other than the bench and its servers (MariaDB counted among them). Absolute numbers are lower and noisier than on a quiet machine; ratios between systems are the more reliable figures.`,
    );
  }
  if (!env.pinned) notes.push(`Processes were not pinned to cores (${env.pinningNote}).`);
  if (results.mode === "quick")
    notes.push("Quick mode: one run per system and smaller workloads; use the full mode for numbers to quote.");

  for (const t of results.oneToOne?.targets ?? []) {
    for (const steps of t.ladders) {
      const failing = steps.find((s) => !s.passed);
      if (failing?.errors.rate_limited) {
        notes.push(
          `One-to-one, ${t.target}: the step at ${failing.rate} msg/s was refused with rate_limited: at ${results.oneToOne?.users} users that is ${(failing.rate / (results.oneToOne?.users ?? 1)).toFixed(0)} sends/s per connection, above mpchat's per-connection limit (20/s sustained). The saturation rate is then a policy cap, not a capacity limit.`,
        );
        break;
      }
      const saturation = steps.filter((s) => s.passed).at(-1);
      if (saturation && saturation.generatorCpuUtilisation > 0.9) {
        notes.push(
          `One-to-one, ${t.target}: the load generator used ${(saturation.generatorCpuUtilisation * 100).toFixed(0)}% of its core at the saturation step; that saturation rate may be the generator's limit rather than the server's.`,
        );
        break;
      }
    }
  }
  for (const t of results.durable?.targets ?? []) {
    if (t.generatorCpuUtilisation.median > 0.9) {
      notes.push(
        `Durable writes, ${t.target}: the load generator was at ${(t.generatorCpuUtilisation.median * 100).toFixed(0)}% of its core; the throughput shown may be limited by the generator.`,
      );
    }
  }
  return notes;
}
