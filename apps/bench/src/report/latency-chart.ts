import type { BenchResults, StepRecord } from "../results";
import { TARGET_LABEL, type Target } from "../systems/systems";
import { escapeXml, num } from "./format";
import { TARGET_COLOR } from "./svg-chart";

/**
 * docs/benchmarks-latency.svg: ack p99 over offered rate, one line per system
 * from the one-to-one rate ladders (every step that was run, failed ones
 * included). Both axes logarithmic: rates double step by step and
 * latencies jump by orders of magnitude once a system saturates.
 */

export interface LatencyLine {
  target: Target;
  /** Steps of one ladder, by rising rate. */
  points: Array<{ rate: number; ackP99Ms: number; passed: boolean }>;
}

/**
 * One line per system: every rate any of its ladder runs tried, with the median
 * ack p99 over the runs that tried it (a step counts as passed when most did).
 */
export function latencyLines(results: BenchResults): LatencyLine[] {
  return (results.oneToOne?.targets ?? []).flatMap((t) => {
    const byRate = new Map<number, StepRecord[]>();
    for (const step of t.ladders.flat())
      if (Number.isFinite(step.ackP99Ms)) byRate.set(step.rate, [...(byRate.get(step.rate) ?? []), step]);
    const points = [...byRate.entries()]
      .sort(([a], [b]) => a - b)
      .map(([rate, steps]) => ({
        rate,
        ackP99Ms: Math.max(median(steps.map((s) => s.ackP99Ms)), 0.01),
        passed: steps.filter((s) => s.passed).length * 2 > steps.length,
      }));
    return points.length > 0 ? [{ target: t.target, points }] : [];
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const W = 720;
const H = 380;
const LEFT = 64;
const RIGHT = W - 190;
const TOP = 40;
const BOTTOM = H - 50;

/** Powers of ten covering [min, max]. */
function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}

export function renderLatencySvg(results: BenchResults): string {
  const lines = latencyLines(results);
  const points = lines.flatMap((l) => l.points);
  const rates = points.map((p) => p.rate);
  const lats = points.map((p) => p.ackP99Ms);
  const xTicks = decades(Math.min(...rates, 1000), Math.max(...rates, 10_000));
  const yTicks = decades(Math.min(...lats, 1), Math.max(...lats, 100));
  const [x0, x1] = [Math.log10(xTicks[0] ?? 1000), Math.log10(xTicks.at(-1) ?? 10_000)];
  const [y0, y1] = [Math.log10(yTicks[0] ?? 0.1), Math.log10(yTicks.at(-1) ?? 100)];
  const x = (rate: number) => LEFT + ((Math.log10(rate) - x0) / (x1 - x0 || 1)) * (RIGHT - LEFT);
  const y = (ms: number) => BOTTOM - ((Math.log10(ms) - y0) / (y1 - y0 || 1)) * (BOTTOM - TOP);
  const parts: string[] = [];
  for (const tick of xTicks) {
    parts.push(`<line x1="${x(tick).toFixed(1)}" y1="${TOP}" x2="${x(tick).toFixed(1)}" y2="${BOTTOM}" class="grid"/>`);
    parts.push(`<text x="${x(tick).toFixed(1)}" y="${BOTTOM + 16}" class="tick">${num(tick)}</text>`);
  }
  for (const tick of yTicks) {
    parts.push(`<line x1="${LEFT}" y1="${y(tick).toFixed(1)}" x2="${RIGHT}" y2="${y(tick).toFixed(1)}" class="grid"/>`);
    parts.push(
      `<text x="${LEFT - 6}" y="${(y(tick) + 4).toFixed(1)}" class="ytick">${num(tick, tick < 1 ? 1 : 0)}</text>`,
    );
  }
  for (const line of lines) {
    const color = TARGET_COLOR[line.target];
    const path = line.points.map((p) => `${x(p.rate).toFixed(1)},${y(p.ackP99Ms).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of line.points) {
      const title = `${TARGET_LABEL[line.target]}: ${num(p.rate)} msg/s offered → ack p99 ${num(p.ackP99Ms, 2)} ms${p.passed ? "" : " (step failed)"}`;
      parts.push(
        `<circle cx="${x(p.rate).toFixed(1)}" cy="${y(p.ackP99Ms).toFixed(1)}" r="3.5" fill="${p.passed ? color : "#ffffff"}" stroke="${color}" stroke-width="1.5"><title>${escapeXml(title)}</title></circle>`,
      );
    }
  }
  const targets = [...new Set(lines.map((l) => l.target))];
  targets.forEach((target, i) => {
    const ly = TOP + 10 + i * 20;
    parts.push(
      `<rect x="${RIGHT + 20}" y="${ly - 10}" width="12" height="12" fill="${TARGET_COLOR[target]}"/><text x="${RIGHT + 38}" y="${ly}" class="legend">${escapeXml(TARGET_LABEL[target])}</text>`,
    );
  });
  parts.push(
    `<text x="${RIGHT + 20}" y="${TOP + 10 + targets.length * 20 + 6}" class="note">hollow: step failed</text>`,
  );
  const caption = `pnpm bench${results.mode === "quick" ? " --quick" : ""} · ${results.startedAt.slice(0, 10)} · one-to-one open-loop rate ladders`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" role="img" aria-labelledby="latency-title">
<title id="latency-title">Ack p99 over offered rate per system (${escapeXml(caption)})</title>
<style>
.title { font-size: 14px; font-weight: 600; fill: #111827; }
.tick { font-size: 10px; text-anchor: middle; fill: #4b5563; }
.ytick { font-size: 10px; text-anchor: end; fill: #4b5563; }
.axis-label { font-size: 11px; fill: #374151; }
.grid { stroke: #e5e7eb; stroke-width: 1; }
.legend { font-size: 12px; fill: #111827; }
.note { font-size: 10px; fill: #6b7280; }
.caption { font-size: 10px; fill: #6b7280; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${LEFT}" y="22" class="title">Ack p99 over offered rate (one-to-one, log–log)</text>
${lines.length === 0 ? `<text x="${LEFT}" y="${TOP + 20}" class="note">no rate ladder in this run</text>` : parts.join("\n")}
<text x="${(LEFT + RIGHT) / 2}" y="${BOTTOM + 34}" class="axis-label" text-anchor="middle">offered rate, messages/s</text>
<text x="14" y="${(TOP + BOTTOM) / 2}" class="axis-label" transform="rotate(-90 14 ${(TOP + BOTTOM) / 2})" text-anchor="middle">ack p99, ms</text>
<text x="${LEFT}" y="${H - 6}" class="caption">${escapeXml(caption)}</text>
</svg>
`;
}
