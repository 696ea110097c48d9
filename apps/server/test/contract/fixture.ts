import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import {
  createMysqlDatabase,
  type StoreKind,
  startTestServer,
  type TestConfig,
  type TestServer,
} from "../support/server";

export type { StoreKind } from "../support/server";

/**
 * A fresh database of one kind, of which any number of independent store
 * connections can be opened: one for the server under test, others to read
 * back what it committed (a second connection only sees committed data) or to
 * run a second server instance.
 */
export interface FreshDatabase {
  /** The environment that points a server process at this database (DATA_DIR, and DATABASE_URL for MySQL). */
  env: Record<string, string>;
  connect(): Promise<Store>;
  drop(): Promise<void>;
}

export async function freshDatabase(kind: StoreKind): Promise<FreshDatabase> {
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
      connect: () => openStore({ databaseUrl: database.url, dataDir, poolSize: 5, timeoutMs: 10_000 }),
      drop: async () => {
        await database.drop();
        await removeDataDir();
      },
    };
  }
  return {
    env: { DATA_DIR: dataDir },
    connect: () => openStore({ dataDir, timeoutMs: 10_000 }),
    drop: removeDataDir,
  };
}

export interface GuaranteeServer {
  kind: StoreKind;
  server: TestServer;
  /** Its own connection to the server's database: sees only what was committed. */
  reader: Store;
  /**
   * Another server instance on the same database, with its own store
   * connection (MySQL only: an SQLite file has one writing process by design).
   * It is closed with the fixture.
   */
  startAnotherInstance(config?: TestConfig): Promise<TestServer>;
  close(): Promise<void>;
}

/** A real server on port 0 over a fresh database of `kind`, plus an independent reader of that database. */
export async function startGuaranteeServer(kind: StoreKind, config?: TestConfig): Promise<GuaranteeServer> {
  const database = await freshDatabase(kind);
  const stores: Store[] = [];
  const servers: TestServer[] = [];
  const connect = async () => {
    const store = await database.connect();
    stores.push(store);
    return store;
  };
  const startOn = async (store: Store, instanceConfig?: TestConfig) => {
    const server = await startTestServer({ store: kind, config: instanceConfig, deps: { store } });
    servers.push(server);
    return server;
  };
  try {
    const server = await startOn(await connect(), config);
    const reader = await connect();
    return {
      kind,
      server,
      reader,
      startAnotherInstance: async (instanceConfig = config) => {
        if (kind !== "mysql") throw new Error("a second instance needs a shared MySQL database");
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
