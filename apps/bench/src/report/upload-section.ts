import { spreadOf } from "../measure/spread";
import type { UploadResult } from "../results";
import { num, percent, spread, markdownTable as table } from "./format";

const MiB = 1024 * 1024;

function errorsOf(errors: readonly Record<string, number>[]): string {
  const total: Record<string, number> = {};
  for (const e of errors) for (const [status, n] of Object.entries(e)) total[status] = (total[status] ?? 0) + n;
  const entries = Object.entries(total);
  return entries.length === 0
    ? "none"
    : entries.map(([status, n]) => `${/^\d+$/.test(status) ? `HTTP ${status}` : status}×${n}`).join(", ");
}

/** Section 5 of docs/benchmarks.md: media uploads (issue 12). */
export function renderUploadSection(r: UploadResult): string[] {
  const out: string[] = [];
  const t = r.throughput;
  out.push("## 5. Media uploads");
  out.push("");
  out.push(
    `mpchat (SQLite, local media store) from its real entry, one fresh server per measurement, \`POST /v1/media\` as \`wx.uploadFile\` sends it, with \`MALLOC_ARENA_MAX=2\` as \`pnpm start\` runs it. Throughput: ${num(t.count)} uploads of one ${num(t.imageBytes / MiB, 2)} MiB JPEG (${t.imageWidth}×${t.imageHeight}, a gradient with grain, made with sharp once before the run), each with its own \`clientMediaId\` so that every one is decoded, re-encoded without metadata and thumbnailed; ${t.concurrency} uploads in flight, after a warm-up. Server CPU is user + system from \`/proc/<pid>/stat\` around the window (all threads: libvips works on its own).`,
  );
  out.push("");
  const serverCpu = spreadOf(t.runs.map((x) => x.serverCpuSeconds / x.wallSeconds));
  const generatorCpu = spreadOf(t.runs.map((x) => x.generatorCpuSeconds / x.wallSeconds));
  out.push(
    table(
      ["Uploads", "MiB/s", "Server CPU-s per MiB", "Server CPU", "Generator CPU", "Errors"],
      [
        [
          num(t.count),
          t.error ? `failed: ${t.error}` : spread(t.mibPerSecond, 1),
          spread(t.serverCpuSecondsPerMib, 3),
          percent(serverCpu),
          percent(generatorCpu),
          errorsOf(t.runs.map((x) => x.errors)),
        ],
      ],
    ),
  );
  out.push("");
  out.push(
    `Memory: ${num(r.bursts[0]?.uploads ?? 0)} uploads at once of about 10 MiB each (files: random bytes; images: a 12 MP JPEG just under the 10 MiB image limit), and, for comparison, only as many images as the server decodes at once; each burst on a fresh server after one warm-up upload of its kind. Baseline: RSS after two full GCs just before the burst; peak: the kernel's high-water mark (\`VmHWM\`, reset through \`/proc/<pid>/clear_refs\` before the burst; where that is refused, RSS sampled every 5 ms). Holding whole uploads would take ${num(((r.bursts[0]?.uploads ?? 0) * 10 * MiB) / MiB)} MiB; files stream to the media store, and images wait for one of the 2 decode slots with only their first bytes read.`,
  );
  out.push("");
  out.push(
    table(
      [
        "Kind",
        "Uploads × size",
        "Baseline RSS (MiB)",
        "Peak RSS (MiB)",
        "Growth (MiB)",
        "Peak read from",
        "Wall (s)",
        "Errors",
      ],
      r.bursts.map((b) => {
        const first = b.runs[0];
        return [
          b.reference ? `${b.kind} (comparison: as many as decode at once)` : b.kind,
          `${b.uploads} × ${num(b.bytesEach / MiB, 1)} MiB`,
          first ? num(first.baselineRssBytes / MiB, 1) : "n/a",
          first ? num(first.peakRssBytes / MiB, 1) : "n/a",
          b.error ? `failed: ${b.error}` : spread(b.growthBytes, 1, 1 / MiB),
          first?.peakSource ?? "n/a",
          first ? num(first.wallSeconds, 1) : "n/a",
          errorsOf(b.runs.map((x) => x.errors)),
        ];
      }),
    ),
  );
  out.push("");
  return out;
}
