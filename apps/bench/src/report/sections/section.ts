import type { IntegrityStats } from "../../client/traffic";
import type { BenchResults } from "../../results";
import { num } from "../format";

/**
 * One section of docs/benchmarks.md: the lines it adds (an empty array when the
 * run has nothing for it). markdown.ts renders the sections in list order.
 */
export type SectionRenderer = (results: BenchResults) => string[];

/** Lost (with duplicates) and reordered cells of an integrity row. */
export function integrityCells(i: IntegrityStats | null | undefined): [string, string] {
  if (!i) return ["n/a", "n/a"];
  const lost = `${num(i.lost)}${i.duplicates ? ` (+${num(i.duplicates)} dup.)` : ""}`;
  return [lost, num(i.reordered)];
}

/** "code×n, …" or "" when there were none. */
export function errorsOf(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  return entries.length === 0 ? "" : entries.map(([code, n]) => `${code}×${n}`).join(", ");
}
