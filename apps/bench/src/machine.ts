import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, type } from "node:os";
import type { MachineInfo } from "./results";

function run(command: string, args: string[], cwd?: string): string | null {
  try {
    return execFileSync(command, args, { encoding: "utf8", cwd, stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(repoDir: string): MachineInfo {
  const cpuList = cpus();
  const dirty = run("git", ["status", "--porcelain", "--untracked-files=no"], repoDir);
  const commit = run("git", ["rev-parse", "--short", "HEAD"], repoDir) ?? "unknown";
  const mariadbVersion = run("mariadbd", ["--version"]) ?? run("mysqld", ["--version"]);
  return {
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    commit: dirty ? `${commit} (the working tree had uncommitted changes)` : commit,
    mariadb: mariadbVersion ? (/Ver\s+(\S+)/.exec(mariadbVersion)?.[1] ?? mariadbVersion) : null,
  };
}
