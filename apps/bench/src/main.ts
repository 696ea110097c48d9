import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchConfig } from "./config";
import { machineInfo } from "./machine";
import { pinSelf, planCores } from "./proc/cores";
import { jiffiesToSeconds, readMachineJiffies, readOwnCpuWithChildren } from "./proc/proc-stat";
import { checkFloors } from "./report/floors";
import { renderLatencySvg } from "./report/latency-chart";
import { renderMarkdown } from "./report/markdown";
import { runNotes } from "./report/notes";
import { renderSvg } from "./report/svg-chart";
import type { BenchResults } from "./results";
import { runCluster } from "./scenarios/cluster";
import { describeError, type ScenarioContext } from "./scenarios/context";
import { runDurableWrites } from "./scenarios/durable-writes";
import { runGroupFanout } from "./scenarios/group-fanout";
import { runIdleMemory } from "./scenarios/idle-memory";
import { runImageSends } from "./scenarios/image-sends";
import { runOneToOne } from "./scenarios/one-to-one";
import { PROFILE_KINDS, type ProfileKind, profilesForMissedFloors, runProfiles } from "./scenarios/profile";
import { runSendChecks } from "./scenarios/send-checks";
import { runStoreAlone } from "./scenarios/store-alone";
import { runUploads } from "./scenarios/uploads";

const SCENARIOS = ["one-to-one", "group", "idle", "durable", "store", "upload", "cluster", "checks", "images"] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const REPO_DIR = fileURLToPath(new URL("../../..", import.meta.url));

interface Args {
  mode: "quick" | "full";
  only: ScenarioName[];
  write: boolean;
  /** "auto": profile what missed a floor in full mode; "all": profile every workload; "off"; or the kinds named. */
  profile: "auto" | "all" | "off" | ProfileKind[];
}

/** A bad command line: printed without a stack trace. */
class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { mode: "full", only: [...SCENARIOS], write: true, profile: "auto" };
  for (const arg of argv) {
    if (arg === "--") continue;
    if (arg === "--quick") args.mode = "quick";
    else if (arg === "--full") args.mode = "full";
    else if (arg === "--no-write") args.write = false;
    else if (arg === "--profile") args.profile = "all";
    else if (arg === "--no-profile") args.profile = "off";
    else if (arg.startsWith("--profile=")) {
      const kinds = arg.slice("--profile=".length).split(",");
      for (const kind of kinds)
        if (!PROFILE_KINDS.includes(kind as ProfileKind))
          throw new UsageError(`unknown profile ${kind}; known: ${PROFILE_KINDS.join(", ")}`);
      args.profile = kinds as ProfileKind[];
    } else if (arg.startsWith("--only=")) {
      const names = arg.slice("--only=".length).split(",");
      for (const name of names)
        if (!SCENARIOS.includes(name as ScenarioName))
          throw new Error(`unknown scenario ${name}; known: ${SCENARIOS.join(", ")}`);
      args.only = names as ScenarioName[];
    } else
      throw new Error(
        `unknown argument ${arg}\nusage: pnpm bench [--quick] [--only=${SCENARIOS.join(",")}] [--profile|--profile=KIND,…|--no-profile] [--no-write]`,
      );
  }
  return args;
}

/** The committed JSON is in the repository's lint scope: format it the way `pnpm lint` expects. */
function formatWithBiome(file: string): void {
  try {
    execFileSync(join(REPO_DIR, "node_modules", ".bin", "biome"), ["format", "--write", file], {
      cwd: REPO_DIR,
      stdio: "ignore",
    });
  } catch {
    // Without biome the file is still valid JSON; only `pnpm lint` would mind.
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = benchConfig(args.mode);
  const started = new Date();
  const cores = planCores();
  pinSelf(cores);
  const logDir = join(BENCH_DIR, "bench-results", "logs");
  mkdirSync(logDir, { recursive: true });
  const log = (message: string) => process.stdout.write(`${message}\n`);
  const ctx: ScenarioContext = { config, cores, logDir, log };
  const jiffiesStart = readMachineJiffies();
  const ownCpuStart = readOwnCpuWithChildren();
  const results: BenchResults = {
    schema: 1,
    mode: args.mode,
    startedAt: started.toISOString(),
    finishedAt: "",
    durationSeconds: 0,
    machine: machineInfo(REPO_DIR),
    environment: {
      pinned: cores.pinned,
      generatorCore: cores.generatorCore,
      serverCore: cores.serverCore,
      pinningNote: cores.reason,
      loadAverageStart: loadavg()[0] ?? 0,
      loadAverageEnd: 0,
      foreignBusyCores: null,
      totalBusyCores: null,
    },
    repetitions: config.repetitions,
    oneToOne: null,
    group: null,
    idle: null,
    durable: null,
    storeAlone: null,
    upload: null,
    cluster: null,
    checks: null,
    images: null,
    floors: [],
    profiles: [],
    notes: [],
  };
  log(
    `mpchat bench (${args.mode}): ${args.only.join(", ")}; generator on core ${cores.generatorCore ?? "any"}, servers on core ${cores.serverCore ?? "any"}`,
  );

  const attempt = async <T>(name: ScenarioName, run: () => Promise<T>): Promise<T | null> => {
    if (!args.only.includes(name)) return null;
    log(`\n== ${name}`);
    const t0 = Date.now();
    try {
      return await run();
    } catch (error) {
      results.notes.push(`${name} failed: ${describeError(error)}`);
      log(`${name} failed: ${error instanceof Error ? error.stack : error}`);
      return null;
    } finally {
      log(`== ${name} took ${Math.round((Date.now() - t0) / 1000)} s`);
    }
  };
  results.oneToOne = await attempt("one-to-one", () => runOneToOne(ctx));
  results.group = await attempt("group", () => runGroupFanout(ctx));
  results.idle = await attempt("idle", () => runIdleMemory(ctx));
  results.durable = await attempt("durable", () => runDurableWrites(ctx));
  results.storeAlone = await attempt("store", () => runStoreAlone(ctx));
  results.upload = await attempt("upload", () => runUploads(ctx));
  results.cluster = await attempt("cluster", () => runCluster(ctx));
  results.checks = await attempt("checks", () => runSendChecks(ctx));
  results.images = await attempt("images", () => runImageSends(ctx));

  results.floors = checkFloors(results);
  const profileKinds: ProfileKind[] = Array.isArray(args.profile)
    ? args.profile
    : args.profile === "all"
      ? ["durable-sqlite", "durable-mariadb", "group-100", "one-to-one"]
      : args.profile === "auto" && args.mode === "full"
        ? profilesForMissedFloors(results)
        : [];
  if (profileKinds.length > 0) {
    log(`\n== profiles: ${profileKinds.join(", ")}`);
    results.profiles = await runProfiles(ctx, profileKinds, results);
  }

  const finished = new Date();
  results.finishedAt = finished.toISOString();
  results.durationSeconds = Math.round((finished.getTime() - started.getTime()) / 1000);
  results.environment.loadAverageEnd = loadavg()[0] ?? 0;
  const jiffiesEnd = readMachineJiffies();
  const ownCpuEnd = readOwnCpuWithChildren();
  if (jiffiesStart && jiffiesEnd) {
    const seconds = (finished.getTime() - started.getTime()) / 1000 || 1;
    const busy = jiffiesToSeconds(jiffiesEnd.busy - jiffiesStart.busy);
    results.environment.totalBusyCores = busy / seconds;
    if (ownCpuStart !== null && ownCpuEnd !== null) {
      results.environment.foreignBusyCores = Math.max(0, busy - (ownCpuEnd - ownCpuStart)) / seconds;
    }
  }
  results.notes.push(...runNotes(results));

  const outDir = args.write ? join(BENCH_DIR, "results") : join(BENCH_DIR, "bench-results");
  const docsDir = args.write ? join(REPO_DIR, "docs") : join(BENCH_DIR, "bench-results");
  mkdirSync(outDir, { recursive: true });
  mkdirSync(docsDir, { recursive: true });
  writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  formatWithBiome(join(outDir, "latest.json"));
  writeFileSync(join(docsDir, "benchmarks.md"), renderMarkdown(results));
  writeFileSync(join(docsDir, "benchmarks.svg"), renderSvg(results));
  writeFileSync(join(docsDir, "benchmarks-latency.svg"), renderLatencySvg(results));
  log("");
  for (const floor of results.floors) {
    log(`${floor.met === null ? "  ?" : floor.met ? " ok" : "MISS"}  ${floor.floor}: ${floor.measured}`);
  }
  log(
    `\nwrote ${join(outDir, "latest.json")}, ${join(docsDir, "benchmarks.md")}, benchmarks.svg, benchmarks-latency.svg (${results.durationSeconds} s)`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
