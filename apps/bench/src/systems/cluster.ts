import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MpchatClient } from "../client/mpchat-client";
import { findPidsByName } from "../proc/proc-stat";
import { ServerProcess } from "../proc/server-process";
import { createFreshDatabase } from "./mariadb";
import { deleteRedisPrefix } from "./redis-cleanup";
import {
  MPCHAT_NODE_FLAGS,
  mpchatEnv,
  type RunningSystem,
  SERVER_DIR,
  SERVER_ENTRY,
  type StartContext,
} from "./systems";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export function redisUrl(): string {
  return process.env.REDIS_URL || DEFAULT_REDIS_URL;
}

/** Pids of the Redis server, for its CPU time (empty when it runs elsewhere or under another name). */
export function redisPids(): number[] {
  return findPidsByName(["redis-server"]);
}

/**
 * `instances` mpchat servers on one fresh MariaDB database and one Redis, as an
 * operator runs them behind nginx: a shared TOKEN_SECRET (a token from one
 * instance is good on every other), a shared MEDIA_DIR, and a REDIS_PREFIX of
 * this run's own so that nothing else using the same Redis hears its events.
 * Users connect round-robin (user i to instance i mod n); HTTP goes to the
 * first instance. With `instances` = 1 it is the single-instance reference on
 * the same MariaDB and Redis.
 */
export async function startCluster(instances: number, ctx: StartContext): Promise<RunningSystem> {
  const root = mkdtempSync(join(tmpdir(), "mpchat-bench-cluster-"));
  const database = await createFreshDatabase();
  const shared = {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    REDIS_PREFIX: `mpchat-bench-${randomBytes(4).toString("hex")}:`,
    TOKEN_SECRET: randomBytes(32).toString("hex"),
    MEDIA_DIR: join(root, "media"),
  };
  mkdirSync(shared.MEDIA_DIR);
  const servers: ServerProcess[] = [];
  const startOne = async (index: number) => {
    const dataDir = join(root, `instance-${index}`);
    mkdirSync(dataDir);
    const server = await ServerProcess.start(
      {
        name: `mpchat-cluster${instances}-${index}`,
        entry: SERVER_ENTRY,
        cwd: SERVER_DIR,
        env: { ...mpchatEnv(dataDir), ...shared },
        readyPath: "/readyz",
        nodeFlags: [...(ctx.nodeFlags ?? []), ...MPCHAT_NODE_FLAGS],
      },
      { core: ctx.core, logDir: ctx.logDir },
    );
    servers[index] = server;
  };
  const stop = async () => {
    await Promise.all(servers.map((server) => server?.stop()));
    await database.drop();
    await deleteRedisPrefix(shared.REDIS_URL, shared.REDIS_PREFIX);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    // The first instance runs the migrations; the others start once the schema is there.
    await startOne(0);
    await Promise.all(Array.from({ length: instances - 1 }, (_, i) => startOne(i + 1)));
  } catch (error) {
    await stop();
    throw error;
  }
  const first = servers[0] as ServerProcess;
  return {
    target: "mpchat-mariadb",
    system: "mpchat",
    server: first,
    servers,
    makeClient: (userPrefix = "u") =>
      new MpchatClient(
        first.httpUrl,
        servers.map((server) => server.wsUrl),
        userPrefix,
      ),
    databasePids: () => findPidsByName(["mariadbd", "mysqld"]),
    stop,
  };
}
