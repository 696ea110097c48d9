import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * CPU time and memory of a process as the kernel accounts them. Reading
 * /proc/<pid>/stat instead of asking the process itself means the number
 * includes every thread (libuv pool, native database drivers) and costs the
 * measured process nothing.
 */

function getconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync("getconf", [name], { encoding: "utf8" }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

const CLOCK_TICKS_PER_SECOND = getconf("CLK_TCK", 100);
const PAGE_BYTES = getconf("PAGESIZE", 4096);

export interface ProcSample {
  /** user + system CPU time, seconds, all threads. */
  cpuSeconds: number;
  /** resident set size, bytes. */
  rssBytes: number;
}

/** Returns null when the process is gone (or /proc is not there). */
export function readProcSample(pid: number): ProcSample | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime=14, stime=15, rss=24 in proc(5) numbering.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND, rssBytes: rssPages * PAGE_BYTES };
}

/**
 * CPU seconds of this process plus all of its children that have exited and
 * been reaped (cutime + cstime): everything the bench itself burned.
 */
export function readOwnCpuWithChildren(): number | null {
  try {
    const text = readFileSync("/proc/self/stat", "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export function readMachineJiffies(): { busy: number; total: number } | null {
  let text: string;
  try {
    text = readFileSync("/proc/stat", "utf8");
  } catch {
    return null;
  }
  const line = text.split("\n", 1)[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((sum, v) => sum + v, 0);
  return { busy: total - idle, total };
}

export function jiffiesToSeconds(jiffies: number): number {
  return jiffies / CLOCK_TICKS_PER_SECOND;
}

/** Pids of processes whose command name is one of `names` (e.g. the MariaDB server). */
export function findPidsByName(names: readonly string[]): number[] {
  try {
    const out = execFileSync("pidof", [...names], { encoding: "utf8" }).trim();
    return out ? out.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}
