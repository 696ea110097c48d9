import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { GroupCommitter } from "./group-commit";
import { openStore } from "./open-store";
import type { Store } from "./store";

export interface StoreBenchOptions {
  /** Messages to append in total. */
  messages: number;
  /** Group conversations they are spread over (round robin). */
  conversations: number;
  /** Appends in flight at once, each waiting for its ack before the next message (closed loop). */
  concurrency: number;
  /** Largest group-commit batch (default 500). */
  maxBatch?: number;
}

/**
 * Store-alone throughput through the GroupCommitter, the way the chat layer
 * appends: returns messages per second (acked = committed). Creates its own
 * users and conversations (random ids) in `store`.
 */
export async function benchStore(store: Store, options: StoreBenchOptions): Promise<number> {
  const run = randomBytes(4).toString("hex");
  // Small groups drawn from a pool of users; every message's sender is a member, so
  // each batch also moves read cursors, as real sends do.
  const users = Array.from({ length: 50 }, (_, i) => `bench${run}_u${i}`);
  for (const id of users) await store.upsertUser({ id, name: id });
  const groups: { id: string; memberIds: string[] }[] = [];
  for (let c = 0; c < options.conversations; c++) {
    const memberIds = Array.from({ length: 5 }, (_, j) => users[(c + j * 10) % users.length] ?? "");
    const id = `bench${run}_c${c}`;
    await store.createGroup({ id, title: `bench ${c}`, memberIds, now: Date.now() });
    groups.push({ id, memberIds });
  }
  const committer = new GroupCommitter(store, { maxBatch: options.maxBatch ?? 500 });
  let next = 0;
  const sender = async () => {
    for (let n = next++; n < options.messages; n = next++) {
      const group = groups[n % groups.length];
      const senderId = group?.memberIds[Math.floor(n / groups.length) % group.memberIds.length];
      if (!group || !senderId) throw new Error("bench needs at least one conversation");
      const result = await committer.append({
        id: `bench${run}_m${n}`,
        conversationId: group.id,
        senderId,
        clientMsgId: `bench${run}_${n}`,
        body: { kind: "text", text: `benchmark message ${n} 😀` },
        createdAt: Date.now(),
      });
      if (result.status !== "stored") throw new Error(`bench append ${n} was ${result.status}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, () => sender()));
  const seconds = (performance.now() - started) / 1000;
  return options.messages / seconds;
}

/** `pnpm --filter @mpchat/server exec tsx src/store/bench-store.ts`: SQLite (temp file), and MySQL when MYSQL_URL is set. */
async function main(): Promise<void> {
  const options = { messages: 100_000, conversations: 200, concurrency: 1000 };
  // The machine may be shared: print the load and this process's CPU time next to the rate.
  const report = (name: string, rate: number, cpu: NodeJS.CpuUsage) =>
    console.log(
      `${name}: ${Math.round(rate).toLocaleString("en")} msgs/s (${JSON.stringify(options)}; ` +
        `this process used ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU incl. setup; load ${loadavg()[0]?.toFixed(1)})`,
    );

  const dataDir = await mkdtemp(join(tmpdir(), "mpchat-bench-"));
  try {
    const sqlite = await openStore({ dataDir });
    const cpu = process.cpuUsage();
    report("sqlite", await benchStore(sqlite, options), process.cpuUsage(cpu));
    await sqlite.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  const base = process.env.MYSQL_URL?.trim();
  if (!base) return console.log("mysql: skipped (MYSQL_URL is not set)");
  const { createConnection } = await import("mysql2/promise");
  const { drizzle } = await import("drizzle-orm/mysql2");
  const { sql } = await import("drizzle-orm");
  const name = `mpchat_bench_${randomBytes(4).toString("hex")}`;
  const admin = await createConnection({ uri: base });
  const db = drizzle({ client: admin });
  await db.execute(sql`create database ${sql.identifier(name)} character set utf8mb4 collate utf8mb4_bin`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    const mysql = await openStore({ databaseUrl: url.toString(), dataDir, poolSize: 10, timeoutMs: 30_000 });
    const cpu = process.cpuUsage();
    report("mysql", await benchStore(mysql, options), process.cpuUsage(cpu));
    await mysql.close();
  } finally {
    await db.execute(sql`drop database if exists ${sql.identifier(name)}`);
    await admin.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
