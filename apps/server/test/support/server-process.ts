import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GENEROUS_LIMITS } from "./generous-limits";

const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));
const START_TIMEOUT_MS = 90_000;

/** One pino log line of the server (JSON), as far as the tests read it. */
export interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A real server process: `node --import tsx src/main.ts`, started on PORT=0; the
 * port is read from the "mpchat listening" log line main.ts prints.
 */
export class ServerProcess {
  readonly logs: LogLine[] = [];
  readonly exited: Promise<ProcessExit>;
  port = 0;
  private stderr = "";
  private stopping = false;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        this.onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        resolve({ code, signal });
        this.notify();
      });
    });
  }

  /** Starts a server with these environment variables (and nothing else of the test's environment but PATH/HOME). */
  static async start(name: string, env: Record<string, string>): Promise<ServerProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: SERVER_DIR,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        ...GENEROUS_LIMITS,
        ...env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const server = new ServerProcess(name, child);
    const listening = await server.waitForLog((line) => line.msg?.startsWith("mpchat listening") === true, {
      timeoutMs: START_TIMEOUT_MS,
    });
    server.port = Number(listening.port);
    return server;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/v1/ws`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first log line (from `fromIndex`) that matches; rejects on timeout or exit. */
  waitForLog(
    predicate: (line: LogLine) => boolean,
    options: { timeoutMs?: number; fromIndex?: number } = {},
  ): Promise<LogLine> {
    let index = options.fromIndex ?? 0;
    return new Promise((resolve, reject) => {
      const check = () => {
        for (; index < this.logs.length; index++) {
          const line = this.logs[index];
          if (line && predicate(line)) return finish(() => resolve(line));
        }
        if (!this.running) finish(() => reject(new Error(`${this.name} exited while waiting: ${this.stderr}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${this.name}: no such log line; stderr: ${this.stderr.slice(-2000)}`))),
        options.timeoutMs ?? START_TIMEOUT_MS,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** kill -9: no drain, no goodbye; the sockets just die. */
  async kill9(): Promise<void> {
    if (this.running) this.child.kill("SIGKILL");
    await this.exited;
  }

  /** Sends a signal (SIGTERM, SIGINT: the graceful shutdown under test) without waiting for the exit. */
  signal(signal: NodeJS.Signals): void {
    this.stopping = true;
    this.child.kill(signal);
  }

  /** SIGTERM (graceful drain), then SIGKILL if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    this.stopping = true;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private onLine(text: string): void {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text };
    }
    this.logs.push(line);
    if (line.msg === "shutting down" && !this.stopping) {
      // Only the test should stop its servers: say so loudly when something else did.
      console.warn(`${this.name} is shutting down on ${String(line.signal)} that the test did not send`);
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
