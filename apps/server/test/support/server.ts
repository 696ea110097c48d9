import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { type AppDeps, buildApp } from "../../src/app";
import { withTokenSecret } from "../../src/auth/token-secret";
import { type Config, loadConfig } from "../../src/config";
import type { GatewayLimits } from "../../src/gateway/limits";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import { GENEROUS_LIMITS } from "./generous-limits";

export type StoreKind = "sqlite" | "mysql";

/** Config overrides; `gateway` may be partial too (e.g. `{ gateway: { sendBurst: 5 } }`). */
export type TestConfig = Partial<Omit<Config, "gateway">> & { gateway?: Partial<GatewayLimits> };

export interface TestServerOptions {
  /** Default: sqlite in a fresh temp dir. mysql: a fresh database on MYSQL_URL, dropped on close. */
  store?: StoreKind;
  config?: TestConfig;
  /** Adapters to swap in (a given store is not closed by the harness). */
  deps?: Partial<AppDeps>;
}

export interface TestServer {
  httpUrl: string;
  wsUrl: string;
  store: Store;
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

export const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

/** Creates an empty MySQL database; returns its URL and a function that drops it. */
export async function createMysqlDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const { createConnection } = await import("mysql2/promise");
  const name = `mpchat_test_${randomBytes(6).toString("hex")}`;
  const admin = await createConnection(MYSQL_URL);
  try {
    // `??` is mysql2's identifier placeholder: the name is escaped, not spliced in.
    await admin.query("CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", [name]);
  } finally {
    await admin.end();
  }
  const url = new URL(MYSQL_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const conn = await createConnection(MYSQL_URL);
      try {
        await conn.query("DROP DATABASE IF EXISTS ??", [name]);
      } finally {
        await conn.end();
      }
    },
  };
}

/** The config a test server starts with: embedded defaults, a temp data dir, quiet logs. */
export function testConfig(dataDir: string, overrides: TestConfig = {}): Config {
  // Only these variables: the developer's or CI's environment must not leak in.
  const base = withTokenSecret(
    loadConfig({
      DATA_DIR: dataDir,
      PORT: "0",
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      ...GENEROUS_LIMITS,
    }),
  );
  const { gateway, ...rest } = overrides;
  return { ...base, ...rest, gateway: { ...base.gateway, ...gateway } };
}

/** Starts the real app on 127.0.0.1, port 0, with a fresh store. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "mpchat-test-"));
  const config = testConfig(dataDir, options.config);
  let dropDatabase = async () => {};
  let store = options.deps?.store;
  const ownsStore = store === undefined;
  if (!store) {
    if (options.store === "mysql") {
      const database = await createMysqlDatabase();
      dropDatabase = database.drop;
      store = await openStore({ databaseUrl: database.url, dataDir, poolSize: 5, timeoutMs: 10_000 });
    } else {
      store = await openStore({ dataDir, timeoutMs: 10_000 });
    }
  }
  const app = await buildApp(config, { ...options.deps, store });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const openStoreRef = store;
  return {
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/ws`,
    store,
    app,
    config,
    dataDir,
    close: async () => {
      await app.close();
      if (ownsStore) await openStoreRef.close();
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
