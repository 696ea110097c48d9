import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
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
  /** Senders appending at once, each waiting for its ack before the next message (closed loop). */
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
  const senders = Array.from({ length: Math.min(options.concurrency, 1000) }, (_, i) => `bench${run}_${i}`);
  for (const id of senders) await store.upsertUser({ id, name: id });
  const conversationIds: string[] = [];
  for (let c = 0; c < options.conversations; c++) {
    const id = `bench${run}_c${c}`;
    await store.createGroup({ id, title: `bench ${c}`, memberIds: senders.slice(0, 50), now: Date.now() });
    conversationIds.push(id);
  }
  const committer = new GroupCommitter(store, { maxBatch: options.maxBatch ?? 500 });
  let next = 0;
  const sender = async (worker: number) => {
    const senderId = senders[worker % senders.length] ?? "bench";
    for (let n = next++; n < options.messages; n = next++) {
      const result = await committer.append({
        id: `bench${run}_m${n}`,
        conversationId: conversationIds[n % conversationIds.length] ?? "",
        senderId,
        clientMsgId: `bench${run}_${n}`,
        body: { kind: "text", text: `benchmark message ${n} 😀` },
        createdAt: Date.now(),
      });
      if (result.status !== "stored") throw new Error(`bench append ${n} was ${result.status}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => sender(w)));
  const seconds = (performance.now() - started) / 1000;
  return options.messages / seconds;
}

/** `pnpm --filter @mpchat/server exec tsx src/store/bench-store.ts`: SQLite (temp file), and MySQL when MYSQL_URL is set. */
async function main(): Promise<void> {
  const options = { messages: 100_000, conversations: 200, concurrency: 1000 };
  const report = (name: string, rate: number) =>
    console.log(`${name}: ${Math.round(rate).toLocaleString("en")} msgs/s (${JSON.stringify(options)})`);

  const dataDir = await mkdtemp(join(tmpdir(), "mpchat-bench-"));
  try {
    const sqlite = await openStore({ dataDir });
    report("sqlite", await benchStore(sqlite, options));
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
    report("mysql", await benchStore(mysql, options));
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
