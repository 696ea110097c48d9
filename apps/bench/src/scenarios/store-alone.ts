import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { spreadOf } from "../measure/spread";
import type { StoreAloneResult, StoreAloneTarget } from "../results";
import { createFreshDatabase, mysqlAdminUrl, mysqlAvailable } from "../systems/mariadb";
import { SERVER_DIR } from "../systems/systems";
import { describeError, type ScenarioContext } from "./context";
import { redact } from "./durable-writes";

const require = createRequire(import.meta.url);
const TSX_LOADER = pathToFileURL(require.resolve("tsx")).href;
const CHILD = fileURLToPath(new URL("../store-alone/store-bench-child.ts", import.meta.url));

interface ChildResult {
  messagesPerSecond: number;
  cpuSeconds: number;
  wallSeconds: number;
}

/**
 * Scenario 4b: the store alone, through mpchat's own `benchStore` helper (the
 * GroupCommitter the chat layer uses, no sockets), each run in a fresh child
 * process on the server core; SQLite and MariaDB runs alternate.
 */
export async function runStoreAlone(ctx: ScenarioContext): Promise<StoreAloneResult> {
  const options = ctx.config.store;
  const targets: StoreAloneTarget[] = (["sqlite", "mariadb"] as const).map((store) => ({
    store,
    messagesPerSecond: spreadOf([]),
    cpuUtilisation: spreadOf([]),
    error: null,
  }));
  const runs = new Map<StoreAloneTarget, ChildResult[]>(targets.map((t) => [t, []]));
  const mariadb = targets[1];
  if (mariadb && !(await mysqlAvailable())) mariadb.error = `MariaDB not reachable at ${redact(mysqlAdminUrl())}`;

  for (let rep = 0; rep < ctx.config.repetitions; rep++) {
    for (const target of targets) {
      if (target.error) continue;
      const database = target.store === "mariadb" ? await createFreshDatabase() : null;
      try {
        const result = await runChild(ctx, options, database?.url);
        runs.get(target)?.push(result);
        ctx.log(
          `  rep ${rep + 1} ${target.store}: ${Math.round(result.messagesPerSecond)} messages/s (store process CPU ${Math.round((result.cpuSeconds / result.wallSeconds) * 100)}%)`,
        );
      } catch (error) {
        target.error = describeError(error);
        ctx.log(`  ${target.store} failed: ${target.error}`);
      } finally {
        await database?.drop();
      }
    }
  }
  for (const target of targets) {
    const results = runs.get(target) ?? [];
    target.messagesPerSecond = spreadOf(results.map((r) => r.messagesPerSecond));
    target.cpuUtilisation = spreadOf(results.map((r) => r.cpuSeconds / r.wallSeconds));
  }
  return { ...options, targets };
}

function runChild(
  ctx: ScenarioContext,
  options: ScenarioContext["config"]["store"],
  databaseUrl?: string,
): Promise<ChildResult> {
  const pin = ctx.cores.serverCore === null ? [] : ["taskset", "-c", String(ctx.cores.serverCore)];
  const command = [...pin, process.execPath, "--import", TSX_LOADER, CHILD];
  const env: Record<string, string | undefined> = { ...process.env, BENCH_STORE_OPTIONS: JSON.stringify(options) };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), {
      cwd: SERVER_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as ChildResult);
      else reject(new Error(`store bench exited ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}`));
    });
  });
}
