import { readFileSync, writeFileSync } from "node:fs";
import { readProcSample } from "./proc-stat";

/**
 * The peak resident memory of another process over a window. The kernel keeps
 * the high-water mark (VmHWM in /proc/<pid>/status); writing 5 to
 * /proc/<pid>/clear_refs resets it to the current RSS (Linux ≥ 4.0, same user),
 * so the mark read at the end is the window's own peak. Where the reset is not
 * allowed, RSS sampled every few milliseconds stands in (it can miss a short
 * spike; the result says which was used).
 */
export class PeakRss {
  private sampledPeak: number;
  private readonly timer: NodeJS.Timeout;
  private readonly markReset: boolean;

  constructor(
    private readonly pid: number,
    intervalMs = 5,
  ) {
    this.markReset = resetHighWaterMark(pid);
    this.sampledPeak = readProcSample(pid)?.rssBytes ?? 0;
    this.timer = setInterval(() => {
      const rss = readProcSample(pid)?.rssBytes ?? 0;
      if (rss > this.sampledPeak) this.sampledPeak = rss;
    }, intervalMs);
  }

  /** Stops sampling: the window's peak in bytes, and how it was read. */
  stop(): { peakBytes: number; source: "VmHWM" | "sampled" } {
    clearInterval(this.timer);
    const mark = this.markReset ? highWaterMark(this.pid) : null;
    if (mark === null) return { peakBytes: this.sampledPeak, source: "sampled" };
    return { peakBytes: Math.max(mark, this.sampledPeak), source: "VmHWM" };
  }
}

function resetHighWaterMark(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

function highWaterMark(pid: number): number | null {
  try {
    const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
    return Number.isFinite(kib) && kib > 0 ? kib * 1024 : null;
  } catch {
    return null;
  }
}
