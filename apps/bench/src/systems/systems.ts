import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MpchatClient, type MpchatLogin } from "../client/mpchat-client";
import { SocketIoClient } from "../client/socketio-client";
import type { SystemClient, SystemName } from "../client/system-client";
import { WsBroadcastClient } from "../client/ws-client";
import { findPidsByName } from "../proc/proc-stat";
import { ServerProcess } from "../proc/server-process";
import { createFreshDatabase } from "./mariadb";

/** Which server a run targets; mpchat comes with its store. */
export type Target = "mpchat-sqlite" | "mpchat-mariadb" | "ws" | "socketio";

export const TARGET_LABEL: Record<Target, string> = {
  "mpchat-sqlite": "mpchat (SQLite)",
  "mpchat-mariadb": "mpchat (MariaDB)",
  ws: "bare ws",
  socketio: "Socket.IO 4",
};

const SRC = fileURLToPath(new URL("..", import.meta.url));
export const SERVER_DIR = fileURLToPath(new URL("../../../server", import.meta.url));
export const SERVER_ENTRY = join(SERVER_DIR, "src", "main.ts");

export interface RunningSystem {
  target: Target;
  system: SystemName;
  server: ServerProcess;
  /** Every server process when the system is several instances (a cluster); CPU windows sum them. */
  servers?: readonly ServerProcess[];
  /** A fresh client; `userPrefix` lets several client generations share one mpchat database. */
  makeClient(userPrefix?: string): SystemClient;
  /** Pids whose CPU also belongs to this system (the MariaDB server). */
  databasePids(): number[];
  stop(): Promise<void>;
}

export interface StartContext {
  core: number | null;
  logDir: string;
  /** Extra node flags for the server (e.g. --inspect for profiles and heap snapshots). */
  nodeFlags?: string[];
  /** mpchat: more environment (e.g. WeChat credentials and content checks), over the bench's defaults. */
  env?: Record<string, string>;
  /** mpchat: how its clients log in (default dev login; `wechat` needs WECHAT_* in `env`). */
  login?: MpchatLogin;
  /** Name of the server's log file and of its /proc entries in logs (default: the target). */
  name?: string;
}

/** The environment every mpchat under test runs with (the store and, for a cluster, Redis are added by the caller). */
export function mpchatEnv(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    DEV_LOGIN: "on",
    // Logging every request would measure the logger.
    LOG_LEVEL: "warn",
    NODE_ENV: "development",
    // The same two malloc arenas `pnpm start` runs mpchat with (image decodes on libvips threads).
    MALLOC_ARENA_MAX: "2",
    // Every simulated user logs in and connects from 127.0.0.1, thousands at once:
    // the per-address and per-user limits (meant for people, not a load generator)
    // are lifted explicitly, so that the bench measures the server, not them.
    LOGIN_RATE_PER_MINUTE: "1000000",
    HTTP_RATE_PER_MINUTE: "10000000",
    MAX_CONNECTIONS_PER_USER: "10000",
    MAX_UNAUTHENTICATED_PER_ADDRESS: "1000000",
  };
}

/** Node flags mpchat runs with under test: the same young-generation size `pnpm start` uses. */
export const MPCHAT_NODE_FLAGS = ["--max-semi-space-size=64"];

export async function startSystem(target: Target, ctx: StartContext): Promise<RunningSystem> {
  const options = { core: ctx.core, logDir: ctx.logDir };
  if (target === "ws" || target === "socketio") {
    const entry = join(SRC, "baselines", target === "ws" ? "ws-broadcast.ts" : "socketio-rooms.ts");
    const server = await ServerProcess.start(
      { name: target, entry, cwd: SRC, env: {}, readyPath: "/healthz", nodeFlags: ctx.nodeFlags },
      options,
    );
    return {
      target,
      system: target,
      server,
      makeClient: () => (target === "ws" ? new WsBroadcastClient(server.wsUrl) : new SocketIoClient(server.wsUrl)),
      databasePids: () => [],
      stop: async () => {
        await server.stop();
      },
    };
  }

  const dataDir = mkdtempSync(join(tmpdir(), "mpchat-bench-"));
  const database = target === "mpchat-mariadb" ? await createFreshDatabase() : null;
  const env: Record<string, string> = mpchatEnv(dataDir);
  if (database) env.DATABASE_URL = database.url;
  // Admission control's bounds, from the bench's own environment (to see refusals: SEND_QUEUE_LIMIT=100).
  for (const name of ["SEND_QUEUE_LIMIT", "SEND_QUEUE_CONVERSATION_LIMIT", "SEND_QUEUE_MAX_WAIT_MS"]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  Object.assign(env, ctx.env);
  let server: ServerProcess;
  try {
    server = await ServerProcess.start(
      {
        name: ctx.name ?? target,
        entry: SERVER_ENTRY,
        cwd: SERVER_DIR,
        env,
        readyPath: "/readyz",
        nodeFlags: [...(ctx.nodeFlags ?? []), ...MPCHAT_NODE_FLAGS],
      },
      options,
    );
  } catch (error) {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    target,
    system: "mpchat",
    server,
    makeClient: (userPrefix = "u") => new MpchatClient(server.httpUrl, server.wsUrl, userPrefix, ctx.login),
    databasePids: () => (database ? findPidsByName(["mariadbd", "mysqld"]) : []),
    stop: async () => {
      await server.stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
