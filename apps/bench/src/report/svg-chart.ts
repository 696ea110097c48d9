import type { Spread } from "../measure/spread";
import type { BenchResults } from "../results";
import { TARGET_LABEL, type Target } from "../systems/systems";
import { escapeXml, num } from "./format";

/**
 * docs/benchmarks.svg: throughput and p99 per system, hand-written SVG (no
 * browser, no chart library). Bars are medians; whiskers span min–max.
 */

export const TARGET_COLOR: Record<Target, string> = {
  "mpchat-sqlite": "#2563eb",
  "mpchat-mariadb": "#1e3a8a",
  ws: "#6b7280",
  socketio: "#f59e0b",
};

interface Bar {
  target: Target;
  value: Spread;
  /** Text above the bar; defaults to the median. */
  label?: string;
  /** A second, smaller line under the label (e.g. the p99 beside a throughput). */
  sublabel?: string;
}

interface Group {
  label: string;
  bars: Bar[];
}

interface Panel {
  title: string;
  unit: string;
  groups: Group[];
  digits?: number;
  /** A floor from issue 7, drawn as a dashed line. */
  reference?: { value: number; label: string };
}

const PANEL_W = 310;
const PANEL_H = 250;

function panelSvg(panel: Panel, x: number, y: number): string {
  const parts: string[] = [];
  const plotTop = y + 46;
  const plotBottom = y + PANEL_H - 34;
  const plotLeft = x + 12;
  const plotRight = x + PANEL_W - 12;
  parts.push(`<text x="${x + PANEL_W / 2}" y="${y + 18}" class="title">${escapeXml(panel.title)}</text>`);
  parts.push(`<text x="${x + PANEL_W / 2}" y="${y + 34}" class="unit">${escapeXml(panel.unit)}</text>`);
  const values = panel.groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.value.max) ? b.value.max : 0)));
  const top = Math.max(...values, panel.reference?.value ?? 0, 1e-9) * 1.12;
  const height = plotBottom - plotTop;
  const groupWidth = (plotRight - plotLeft) / Math.max(panel.groups.length, 1);
  parts.push(`<line x1="${plotLeft}" y1="${plotBottom}" x2="${plotRight}" y2="${plotBottom}" class="axis"/>`);
  if (panel.reference) {
    const ry = (plotBottom - (panel.reference.value / top) * height).toFixed(1);
    parts.push(`<line x1="${plotLeft}" y1="${ry}" x2="${plotRight}" y2="${ry}" class="reference"/>`);
    parts.push(
      `<text x="${plotRight}" y="${Number(ry) - 3}" class="reference-label">${escapeXml(panel.reference.label)}</text>`,
    );
  }
  panel.groups.forEach((group, gi) => {
    const gx = plotLeft + gi * groupWidth;
    const barWidth = Math.min(44, (groupWidth - 16) / Math.max(group.bars.length, 1));
    const barsWidth = barWidth * group.bars.length;
    group.bars.forEach((bar, bi) => {
      const bx = gx + (groupWidth - barsWidth) / 2 + bi * barWidth;
      const median = bar.value.median;
      if (!Number.isFinite(median)) {
        parts.push(`<text x="${bx + barWidth / 2}" y="${plotBottom - 4}" class="value">n/a</text>`);
        return;
      }
      const h = (median / top) * height;
      parts.push(
        `<rect x="${(bx + 2).toFixed(1)}" y="${(plotBottom - h).toFixed(1)}" width="${(barWidth - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="${TARGET_COLOR[bar.target]}"><title>${escapeXml(`${TARGET_LABEL[bar.target]}: ${num(median, panel.digits ?? 0)} ${panel.unit}`)}</title></rect>`,
      );
      if (bar.value.runs.length > 1 && bar.value.max > bar.value.min) {
        const cx = bx + barWidth / 2;
        const y1 = plotBottom - (bar.value.min / top) * height;
        const y2 = plotBottom - (bar.value.max / top) * height;
        parts.push(`<line x1="${cx}" y1="${y1.toFixed(1)}" x2="${cx}" y2="${y2.toFixed(1)}" class="whisker"/>`);
      }
      const labelY = plotBottom - Math.max(h, (bar.value.max / top) * height) - 4;
      const cx = (bx + barWidth / 2).toFixed(1);
      if (bar.sublabel) {
        parts.push(`<text x="${cx}" y="${labelY.toFixed(1)}" class="sublabel">${escapeXml(bar.sublabel)}</text>`);
      }
      parts.push(
        `<text x="${cx}" y="${(labelY - (bar.sublabel ? 11 : 0)).toFixed(1)}" class="value">${escapeXml(bar.label ?? compact(median, panel.digits ?? 0))}</text>`,
      );
    });
    if (panel.groups.length > 1 || group.label) {
      parts.push(
        `<text x="${(gx + groupWidth / 2).toFixed(1)}" y="${plotBottom + 16}" class="group">${escapeXml(group.label)}</text>`,
      );
    }
  });
  return parts.join("\n");
}

function compact(value: number, digits: number): string {
  if (Math.abs(value) >= 10_000) return `${num(value / 1000, 0)}k`;
  if (Math.abs(value) >= 1000) return `${num(value / 1000, 1)}k`;
  return num(value, digits);
}

export function renderSvg(results: BenchResults): string {
  const panels: Panel[] = [];
  const one = results.oneToOne?.targets ?? [];
  if (one.length > 0) {
    panels.push({
      title: "1:1 chat: saturation rate",
      unit: `msg/s with push p99 ≤ ${results.oneToOne?.p99LimitMs ?? 50} ms`,
      groups: [{ label: "", bars: one.map((t) => ({ target: t.target, value: t.saturationRate })) }],
    });
    panels.push({
      title: "1:1 chat: push p99 at half saturation",
      unit: "ms, send → peer's push (lower is better)",
      digits: 1,
      reference: { value: 10, label: "floor: mpchat < 10 ms" },
      groups: [{ label: "", bars: one.map((t) => ({ target: t.target, value: t.halfPushP99Ms })) }],
    });
  }
  const group = results.group?.targets ?? [];
  if (group.length > 0) {
    const sizes = [...new Set(group.map((t) => t.size))];
    panels.push({
      title: "Group fan-out efficiency",
      unit: "deliveries per server CPU-second, by room size",
      groups: sizes.map((size) => ({
        label: `${size} members`,
        bars: group
          .filter((t) => t.size === size)
          .map((t) => ({ target: t.target, value: t.deliveriesPerServerCpuSecond })),
      })),
    });
  }
  const durable = results.durable?.targets ?? [];
  if (durable.length > 0) {
    panels.push({
      title: "Durable writes, end to end",
      unit: "acked msg/s, ack p99 below (ws stores nothing)",
      reference: { value: 20_000, label: "floor 20k/s" },
      groups: [
        {
          label: "",
          bars: durable.map((t) => ({
            target: t.target,
            value: t.ackedPerSecond,
            sublabel: Number.isFinite(t.ackP99Ms.median) ? `${num(t.ackP99Ms.median, 0)} ms` : undefined,
          })),
        },
      ],
    });
  }
  const idle = results.idle?.targets ?? [];
  if (idle.length > 0) {
    panels.push({
      title: "Idle connection memory",
      unit: `KiB heap+external per conn., ${num(results.idle?.connections ?? 0)} idle (lower is better)`,
      digits: 1,
      groups: [
        {
          label: "",
          bars: idle.map((t) => ({
            target: t.target,
            value: scaleSpread(t.jsBytesPerConnection, 1 / 1024),
          })),
        },
      ],
    });
  }
  const store = results.storeAlone?.targets ?? [];
  if (store.length > 0) {
    panels.push({
      title: "Store alone (group commit)",
      unit: "mpchat's Store, messages/s, no sockets",
      reference: { value: 50_000, label: "floor 50k/s" },
      groups: [
        {
          label: "",
          bars: store.map((t) => ({
            target: t.store === "sqlite" ? ("mpchat-sqlite" as const) : ("mpchat-mariadb" as const),
            value: t.messagesPerSecond,
          })),
        },
      ],
    });
  }

  const columns = 3;
  const rows = Math.max(1, Math.ceil(panels.length / columns));
  const width = columns * PANEL_W + 20;
  const legendY = rows * PANEL_H + 24;
  const height = legendY + 40;
  const body = panels.map((panel, i) =>
    panelSvg(panel, 10 + (i % columns) * PANEL_W, 10 + Math.floor(i / columns) * PANEL_H),
  );
  const legendTargets: Target[] = ["mpchat-sqlite", "mpchat-mariadb", "ws", "socketio"];
  const legend = legendTargets
    .map((target, i) => {
      const lx = 20 + i * 200;
      return `<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="${TARGET_COLOR[target]}"/><text x="${lx + 18}" y="${legendY}" class="legend">${escapeXml(TARGET_LABEL[target])}</text>`;
    })
    .join("");
  const caption = `pnpm bench${results.mode === "quick" ? " --quick" : ""} · ${results.startedAt.slice(0, 10)} · ${results.machine.cpuModel}, ${results.machine.cores} cores · bars: median, whiskers: min–max`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" role="img" aria-labelledby="chart-title">
<title id="chart-title">mpchat benchmarks: throughput and p99 per system (${escapeXml(caption)})</title>
<style>
.title { font-size: 14px; font-weight: 600; text-anchor: middle; fill: #111827; }
.unit { font-size: 11px; text-anchor: middle; fill: #4b5563; }
.value { font-size: 10px; text-anchor: middle; fill: #111827; }
.sublabel { font-size: 9px; text-anchor: middle; fill: #4b5563; }
.reference { stroke: #dc2626; stroke-width: 1; stroke-dasharray: 4 3; }
.reference-label { font-size: 9px; text-anchor: end; fill: #dc2626; }
.group { font-size: 11px; text-anchor: middle; fill: #374151; }
.legend { font-size: 12px; fill: #111827; }
.caption { font-size: 10px; fill: #6b7280; }
.axis { stroke: #9ca3af; stroke-width: 1; }
.whisker { stroke: #111827; stroke-width: 1.5; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${body.join("\n")}
${legend}
<text x="20" y="${legendY + 24}" class="caption">${escapeXml(caption)}</text>
</svg>
`;
}

function scaleSpread(s: Spread, factor: number): Spread {
  return { median: s.median * factor, min: s.min * factor, max: s.max * factor, runs: s.runs.map((r) => r * factor) };
}
