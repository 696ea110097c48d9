import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createFreshDatabase, type FreshDatabase } from "../../store/mysql-database";
import { ServerProcess } from "../../support/server-process";

export interface ClusterOptions {
  instances: number;
  mysqlUrl: string;
  redisUrl: string;
  /** Extra settings for every instance (e.g. PRESENCE_TTL_MS). */
  env?: Record<string, string>;
}

/**
 * N real server processes sharing one fresh MariaDB database and one Redis, as
 * in production: the same TOKEN_SECRET everywhere (a token from one instance is
 * good on all), a REDIS_PREFIX of this run only (parallel runs do not mix).
 */
export class Cluster {
  readonly servers: ServerProcess[] = [];
  private readonly dataDirs: string[] = [];
  private mediaDir: string | undefined;

  private constructor(
    private readonly options: ClusterOptions,
    readonly database: FreshDatabase,
    readonly redisPrefix: string,
    private readonly tokenSecret: string,
  ) {}

  static async start(options: ClusterOptions): Promise<Cluster> {
    const database = await createFreshDatabase(options.mysqlUrl);
    const prefix = `mpchat-test-${randomBytes(5).toString("hex")}:`;
    const cluster = new Cluster(options, database, prefix, randomBytes(32).toString("hex"));
    try {
      // The first one alone: it applies the migrations to the fresh database.
      await cluster.startInstance();
      await Promise.all(Array.from({ length: options.instances - 1 }, () => cluster.startInstance()));
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** Server number `i`, counting round (so that clients spread with `at(i)`). */
  at(i: number): ServerProcess {
    const server = this.servers[i % this.servers.length];
    if (!server) throw new Error("no servers");
    return server;
  }

  /** Starts one more instance (also: a replacement for a killed one). */
  async startInstance(env: Record<string, string> = {}): Promise<ServerProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), "mpchat-cluster-"));
    this.dataDirs.push(dataDir);
    // One media folder for the whole cluster (MEDIA_STORE=local with Redis needs it named).
    this.mediaDir ??= await mkdtemp(join(tmpdir(), "mpchat-cluster-media-"));
    if (!this.dataDirs.includes(this.mediaDir)) this.dataDirs.push(this.mediaDir);
    const name = `instance-${this.servers.length}`;
    const server = await ServerProcess.start(name, {
      DATA_DIR: dataDir,
      DATABASE_URL: this.database.url,
      REDIS_URL: this.options.redisUrl,
      MEDIA_DIR: this.mediaDir,
      REDIS_PREFIX: this.redisPrefix,
      TOKEN_SECRET: this.tokenSecret,
      LOG_LEVEL: "info",
      MYSQL_POOL_SIZE: "5",
      DB_TIMEOUT_MS: "15000",
      ...this.options.env,
      ...env,
    });
    this.servers.push(server);
    return server;
  }

  /** Stops every instance, drops the database and deletes this run's Redis keys. */
  async close(): Promise<void> {
    await Promise.allSettled(this.servers.map((server) => server.stop()));
    await Promise.allSettled(this.dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    await this.database.drop().catch(() => undefined);
    await deleteKeys(this.options.redisUrl, this.redisPrefix).catch(() => undefined);
  }
}

/** Deletes every key under `prefix` (SCAN, bounded). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
      if (cursor === "0") return;
    }
  } finally {
    redis.disconnect();
  }
}
