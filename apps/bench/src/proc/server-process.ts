import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "./free-port";
import { type ProcSample, readProcSample } from "./proc-stat";

const require = createRequire(import.meta.url);
/** tsx as an in-process loader: `tsx <file>` would fork a second process and /proc would show the wrong pid. */
const TSX_LOADER = pathToFileURL(require.resolve("tsx")).href;
const MEMORY_PROBE = new URL("./memory-probe.ts", import.meta.url).href;

export interface ServerSpec {
  /** Short name used in logs and file names, e.g. "mpchat-sqlite". */
  name: string;
  /** Absolute path of the TypeScript entry. */
  entry: string;
  cwd: string;
  env: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Path answered with 2xx once the server serves. */
  readyPath: string;
}

export interface StartOptions {
  core: number | null;
  logDir: string;
  readyTimeoutMs?: number;
}

export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** One server under test: a child process pinned to the server core, probed through /proc and IPC. */
export class ServerProcess {
  private nextMemoryRequest = 1;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly spec: ServerSpec,
    readonly port: number,
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(spec: ServerSpec, options: StartOptions): Promise<ServerProcess> {
    mkdirSync(options.logDir, { recursive: true });
    const port = await freePort();
    const logFile = join(options.logDir, `${spec.name}-${port}.log`);
    const logFd = openSync(logFile, "w");
    const node = [
      process.execPath,
      "--expose-gc",
      "--import",
      TSX_LOADER,
      "--import",
      MEMORY_PROBE,
      ...(spec.nodeFlags ?? []),
      spec.entry,
    ];
    const pin = options.core === null ? [] : ["taskset", "-c", String(options.core)];
    // bash raises the open-file limit to the hard limit (10k idle sockets need it), then execs so the pid stays the server's.
    const child = spawn("bash", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "bash", ...pin, ...node], {
      cwd: spec.cwd,
      // Only what a system needs: a CI shell's REDIS_URL or DATABASE_URL must not leak into a server under test.
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ...spec.env,
        PORT: String(port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", logFd, logFd, "ipc"],
    });
    closeSync(logFd);
    const server = new ServerProcess(spec, port, child, logFile);
    await server.waitReady(options.readyTimeoutMs ?? 60_000);
    return server;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => {
      exitCode = code;
    });
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`${this.spec.name} exited (${exitCode}) before serving:\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.httpUrl}${this.spec.readyPath}`);
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.stop();
    throw new Error(
      `${this.spec.name} did not answer ${this.spec.readyPath} within ${timeoutMs} ms:\n${this.logTail()}`,
    );
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  sample(): ProcSample {
    const sample = readProcSample(this.pid);
    if (!sample) throw new Error(`${this.spec.name} (pid ${this.pid}) is gone:\n${this.logTail()}`);
    return sample;
  }

  /** process.memoryUsage() of the server after a full GC. */
  memory(timeoutMs = 30_000): Promise<MemoryUsage & { gcRan: boolean }> {
    const id = this.nextMemoryRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off("message", onMessage);
        reject(new Error(`${this.spec.name} did not answer the memory probe`));
      }, timeoutMs);
      const onMessage = (message: unknown) => {
        const answer = message as { type?: string; id?: number; usage?: MemoryUsage; gcRan?: boolean };
        if (answer.type !== "memory" || answer.id !== id || !answer.usage) return;
        clearTimeout(timer);
        this.child.off("message", onMessage);
        resolve({ ...answer.usage, gcRan: answer.gcRan === true });
      };
      this.child.on("message", onMessage);
      this.child.send({ type: "memory", id });
    });
  }

  /** SIGTERM (a graceful shutdown writes --cpu-prof files), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
