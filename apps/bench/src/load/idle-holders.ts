import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { SystemName } from "../client/system-client";
import type { RunningSystem } from "../systems/systems";
import type { HolderAnswer, HolderRequest, HolderSpec } from "./idle-holder-child";

const require = createRequire(import.meta.url);
const TSX_LOADER = pathToFileURL(require.resolve("tsx")).href;
const CHILD = new URL("./idle-holder-child.ts", import.meta.url).pathname;

/** Sockets per holder process: well inside one process's open-file limit. */
export const SOCKETS_PER_HOLDER = 10_000;

/** Source addresses per holder: about 600 sockets per address at 10,000 sockets per holder. */
const ADDRESSES_PER_HOLDER = 16;

/** Idle connections held by child processes of the bench, from source addresses of their own (127.0.<run>.x). */
export interface IdleHolders {
  /** Logs the users in (mpchat) without connecting: done before the server's baseline. */
  prepare(): Promise<void>;
  /** Opens every connection; resolves with the number the server closed meanwhile. */
  connect(): Promise<number>;
  /** Closes every connection and ends the children; resolves with the unexpected closes. */
  close(): Promise<number>;
}

class Holder {
  private constructor(private readonly child: ChildProcess) {}

  static spawn(core: number | null): Holder {
    const pin = core === null ? [] : ["taskset", "-c", String(core)];
    const node = [process.execPath, "--import", TSX_LOADER, CHILD];
    const child = spawn("bash", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "bash", ...pin, ...node], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Holder(child);
  }

  request(message: HolderRequest): Promise<HolderAnswer> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: HolderAnswer) => {
        cleanup();
        if (answer.type === "failed") reject(new Error(`idle holder: ${answer.error}`));
        else resolve(answer);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`idle holder exited (${code})`));
      };
      const cleanup = () => {
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
      };
      this.child.on("message", onMessage);
      this.child.on("exit", onExit);
      this.child.send(message);
    });
  }

  end(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

const closesOf = (answers: HolderAnswer[]) =>
  answers.reduce((sum, a) => sum + (a.type === "connected" || a.type === "closed" ? a.closes : 0), 0);

/**
 * `connections` idle connections to `system`, split over ceil(connections /
 * SOCKETS_PER_HOLDER) holders; run `runIndex` picks fresh source addresses so
 * that sockets in TIME_WAIT from the previous run never compete for ports.
 */
export function idleHolders(
  system: RunningSystem,
  connections: number,
  options: { core: number | null; userPrefix: string; runIndex: number },
): IdleHolders {
  const count = Math.max(1, Math.ceil(connections / SOCKETS_PER_HOLDER));
  const holders = Array.from({ length: count }, () => Holder.spawn(options.core));
  const specs: HolderSpec[] = holders.map((_, i) => ({
    system: system.system as SystemName,
    httpUrl: system.server.httpUrl,
    wsUrl: system.server.wsUrl,
    userPrefix: `${options.userPrefix}${i}-`,
    connections: Math.floor(connections / count) + (i < connections % count ? 1 : 0),
    sourceAddresses: Array.from(
      { length: ADDRESSES_PER_HOLDER },
      (_, k) => `127.0.${1 + (options.runIndex % 250)}.${2 + i * ADDRESSES_PER_HOLDER + k}`,
    ),
  }));
  const all = (message: (i: number) => HolderRequest) =>
    Promise.all(holders.map((holder, i) => holder.request(message(i))));
  return {
    prepare: async () => {
      await all((i) => ({ type: "prepare", spec: specs[i] as HolderSpec }));
    },
    connect: async () => closesOf(await all(() => ({ type: "connect" }))),
    close: async () => {
      try {
        return closesOf(await all(() => ({ type: "close" })));
      } finally {
        for (const holder of holders) holder.end();
      }
    },
  };
}
