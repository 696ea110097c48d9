import type { Spread } from "../measure/spread";

/** Number formatting shared by the Markdown and SVG renderers. */
export function num(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "n/a";
}

/** "median (min–max)", or just the median when there was a single run. */
export function spread(s: Spread | null | undefined, digits = 0, scale = 1): string {
  if (!s || !Number.isFinite(s.median)) return "n/a";
  const median = num(s.median * scale, digits);
  if (s.runs.length <= 1 || s.min === s.max) return median;
  return `${median} (${num(s.min * scale, digits)}–${num(s.max * scale, digits)})`;
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function percent(s: Spread | null | undefined): string {
  return spread(s, 0, 100) === "n/a" ? "n/a" : `${spread(s, 0, 100)}%`;
}

export function kib(s: Spread | null | undefined): string {
  return spread(s, 1, 1 / 1024);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
