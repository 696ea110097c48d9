import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import { deleteKeys } from "../cluster/support/cluster";
import {
  createMysqlDatabase,
  type StoreKind,
  startTestServer,
  type TestConfig,
  type TestServer,
} from "../support/server";
import { ServerGroup } from "../support/server-group";

export type { StoreKind } from "../support/server";

/**
 * What the guarantee suite runs against: one server on SQLite, one on MySQL,
 * or a cluster of CLUSTER_INSTANCES app instances sharing one MySQL database
 * and one Redis, every client connection and HTTP call on the next instance.
 */
export type SuiteKind = StoreKind | "cluster";

/** Instances of the "cluster" kind: enough that sender, receivers and a user's devices sit on different ones. */
export const CLUSTER_INSTANCES = 3;

/** The store a kind's servers use. */
export const storeOf = (kind: SuiteKind): StoreKind => (kind === "cluster" ? "mysql" : kind);

/** Whether more server instances can share the kind's database (an SQLite file has one writing process by design). */
export const sharesDatabase = (kind: SuiteKind): boolean => storeOf(kind) === "mysql";

/**
 * A fresh database of one kind, of which any number of independent store
 * connections can be opened: one for the server under test, others to read
 * back what it committed (a second connection only sees committed data) or to
 * run a second server instance.
 */
export interface FreshDatabase {
  /** The environment that points a server process at this database (DATA_DIR, and DATABASE_URL for MySQL). */
  env: Record<string, string>;
  /** The same for an in-process server (`startTestServer`): Redis and the shared token secret, in a cluster. */
  config: TestConfig;
  connect(): Promise<Store>;
  drop(): Promise<void>;
}

export async function freshDatabase(kind: SuiteKind): Promise<FreshDatabase> {
  if (kind === "cluster") return freshClusterParts();
  // Also the data folder of a server process (token secret; the SQLite file when no DATABASE_URL).
  const dataDir = await mkdtemp(join(tmpdir(), "mpchat-contract-"));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (kind === "mysql") {
    const database = await createMysqlDatabase().catch(async (error: unknown) => {
      await removeDataDir();
      throw error;
    });
    return {
      env: { DATA_DIR: dataDir, DATABASE_URL: database.url },
      config: {},
      connect: () => openStore({ databaseUrl: database.url, dataDir, poolSize: 5, timeoutMs: 10_000 }),
      drop: async () => {
        await database.drop();
        await removeDataDir();
      },
    };
  }
  return {
    env: { DATA_DIR: dataDir },
    config: {},
    connect: () => openStore({ dataDir, timeoutMs: 10_000 }),
    drop: removeDataDir,
  };
}

/**
 * A fresh MySQL database plus what instances of one cluster share besides it:
 * a Redis key prefix of their own (so that parallel parts and runs never hear
 * each other) and one token secret (a token from one instance is good on all).
 */
async function freshClusterParts(): Promise<FreshDatabase> {
  const redisUrl = process.env.REDIS_URL?.trim();
  if (!redisUrl) throw new Error("a cluster needs REDIS_URL (e.g. redis://127.0.0.1:6379)");
  const database = await freshDatabase("mysql");
  const redisPrefix = `mpchat-contract-${randomBytes(5).toString("hex")}:`;
  const tokenSecret = randomBytes(32).toString("hex");
  return {
    env: {
      ...database.env,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      TOKEN_SECRET: tokenSecret,
      // The instances share the data folder, so its media folder too (MEDIA_STORE=local with Redis needs it named).
      MEDIA_DIR: join(database.env.DATA_DIR ?? tmpdir(), "media"),
    },
    config: { redisUrl, redisPrefix, tokenSecret },
    connect: database.connect,
    drop: async () => {
      await database.drop();
      await deleteKeys(redisUrl, redisPrefix);
    },
  };
}

export interface GuaranteeServer {
  kind: SuiteKind;
  /** The server under test; for "cluster" a ServerGroup, whose URLs move to the next instance at every read. */
  server: TestServer;
  /** Its own connection to the server's database: sees only what was committed. */
  reader: Store;
  /**
   * Another server instance on the same database, with its own store
   * connection (MySQL only: an SQLite file has one writing process by design;
   * in a cluster it shares the cluster's Redis too). It is closed with the fixture.
   */
  startAnotherInstance(config?: TestConfig): Promise<TestServer>;
  close(): Promise<void>;
}

/**
 * A real server on port 0 over a fresh database of `kind` (for "cluster",
 * CLUSTER_INSTANCES in-process instances behind a ServerGroup), plus an
 * independent reader of that database.
 */
export async function startGuaranteeServer(kind: SuiteKind, config?: TestConfig): Promise<GuaranteeServer> {
  const database = await freshDatabase(kind);
  const stores: Store[] = [];
  const servers: TestServer[] = [];
  const connect = async () => {
    const store = await database.connect();
    stores.push(store);
    return store;
  };
  const startOn = async (store: Store, instanceConfig?: TestConfig) => {
    const server = await startTestServer({
      store: storeOf(kind),
      config: { ...database.config, ...instanceConfig },
      deps: { store },
    });
    servers.push(server);
    return server;
  };
  try {
    // The first store connection alone: it applies the migrations to the fresh database.
    const first = await startOn(await connect(), config);
    const server =
      kind === "cluster"
        ? new ServerGroup([
            first,
            ...(await Promise.all(
              Array.from({ length: CLUSTER_INSTANCES - 1 }, async () => startOn(await connect(), config)),
            )),
          ])
        : first;
    const reader = await connect();
    return {
      kind,
      server,
      reader,
      startAnotherInstance: async (instanceConfig = config) => {
        if (!sharesDatabase(kind)) throw new Error("a second instance needs a shared MySQL database");
        return startOn(await connect(), instanceConfig);
      },
      close: async () => {
        // Servers first (they drain their commits), then their connections, then the database.
        await Promise.allSettled(servers.map((s) => s.close()));
        await Promise.allSettled(stores.map((s) => s.close()));
        await database.drop();
      },
    };
  } catch (error) {
    await Promise.allSettled(servers.map((s) => s.close()));
    await Promise.allSettled(stores.map((s) => s.close()));
    await database.drop();
    throw error;
  }
}
