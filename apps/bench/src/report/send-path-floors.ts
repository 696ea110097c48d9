import type { IntegrityStats } from "../client/traffic";
import type { BenchResults, FloorCheck } from "../results";
import type { SendRun } from "../results-send-path";

/**
 * The floor of sections 7 and 8 (issues 14 and 16 number none: their figures
 * are reported, not judged): with content checks on and with image bodies,
 * every send is acked once, with no error, and reaches both members once, in order.
 */
export function sendPathFloors(results: BenchResults): FloorCheck[] {
  const parts: Array<{ name: string; integrity: IntegrityStats | null; runs: readonly SendRun[] }> = [
    ...(results.checks?.targets.map((t) => ({ name: `checks ${t.variant}`, integrity: t.integrity, runs: t.runs })) ??
      []),
    ...(results.images
      ? [
          {
            name: "images",
            integrity: results.images.integrity,
            runs: results.images.targets.flatMap((t) => t.runs),
          },
        ]
      : []),
  ];
  if (parts.length === 0) return [];
  const measured = parts.filter((p) => p.integrity !== null);
  const sum = (pick: (i: IntegrityStats) => number) =>
    measured.reduce((total, p) => total + (p.integrity ? pick(p.integrity) : 0), 0);
  const runs = measured.flatMap((p) => p.runs);
  const sent = runs.reduce((total, r) => total + r.sent, 0);
  const acked = runs.reduce((total, r) => total + r.acked, 0);
  const errors = runs.reduce((total, r) => total + Object.values(r.errors).reduce((a, b) => a + b, 0), 0);
  const lost = sum((i) => i.lost);
  const reordered = sum((i) => i.reordered);
  const duplicates = sum((i) => i.duplicates);
  const fmt = (n: number) => n.toLocaleString("en");
  return [
    {
      id: "send-path-integrity",
      floor: "Content checks and image messages: every send acked once, delivered once, in order (mpchat)",
      measured:
        measured.length === 0
          ? "not measured"
          : `${fmt(sent)} sends in ${measured.map((p) => p.name).join(", ")}: ${fmt(acked)} acked, ${fmt(errors)} errors, ${fmt(lost)} lost deliveries, ${fmt(reordered)} reordered, ${fmt(duplicates)} duplicated`,
      met:
        measured.length === 0
          ? null
          : acked === sent && errors === 0 && lost === 0 && reordered === 0 && duplicates === 0,
    },
  ];
}
