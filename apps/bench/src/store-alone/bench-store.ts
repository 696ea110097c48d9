import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { GroupCommitter, openStore, type Store } from "@mpchat/server";

export interface StoreBenchOptions {
  /** Messages to append in total. */
  messages: number;
  /** Group conversations they are spread over (round robin). */
  conversations: number;
  /** Appends in flight at once, each waiting for its ack before the next message (closed loop). */
  concurrency: number;
  /** Largest group-commit batch (default: the GroupCommitter's). */
  maxBatch?: number;
  /** GroupCommitter lanes (default: what the store says it runs in parallel). */
  lanes?: number;
}

export interface StoreBenchResult {
  /** Acked (= committed) messages per second. */
  messagesPerSecond: number;
  /** This process's CPU time per message while sending (set-up excluded). */
  cpuMicrosPerMessage: number;
  /** Messages per `appendMessages` transaction, on average. */
  meanBatch: number;
}

/**
 * Store-alone throughput through the GroupCommitter, the way the chat layer
 * appends: returns messages per second (acked = committed). Creates its own
 * users and conversations (random ids) in `store`.
 */
export async function benchStore(store: Store, options: StoreBenchOptions): Promise<number> {
  return (await benchStoreDetailed(store, options)).messagesPerSecond;
}

export async function benchStoreDetailed(store: Store, options: StoreBenchOptions): Promise<StoreBenchResult> {
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
  // Counts transactions; every other property (parallelAppends too) is the store's own.
  let batches = 0;
  const counted: Store = Object.create(store);
  counted.appendMessages = (batch) => {
    batches++;
    return store.appendMessages(batch);
  };
  const committer = new GroupCommitter(counted, { maxBatch: options.maxBatch, lanes: options.lanes });
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
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, () => sender()));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    messagesPerSecond: options.messages / seconds,
    cpuMicrosPerMessage: (used.user + used.system) / options.messages,
    meanBatch: options.messages / Math.max(1, batches),
  };
}

const USAGE = `tsx src/store-alone/bench-store.ts [--store sqlite|mysql|both] [--messages N] [--conversations N]
  [--concurrency N] [--max-batch N] [--lanes N] [--repeat N]
SQLite runs in a temp file; MySQL runs in a fresh database under MYSQL_URL (skipped when unset).`;

/** `pnpm --filter @mpchat/bench exec tsx src/store-alone/bench-store.ts`: SQLite (temp file), and MySQL when MYSQL_URL is set. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: "string", default: "both" },
      messages: { type: "string", default: "100000" },
      conversations: { type: "string", default: "200" },
      concurrency: { type: "string", default: "1000" },
      "max-batch": { type: "string" },
      lanes: { type: "string" },
      repeat: { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const options: StoreBenchOptions = {
    messages: Number(values.messages),
    conversations: Number(values.conversations),
    concurrency: Number(values.concurrency),
    ...(values["max-batch"] === undefined ? {} : { maxBatch: Number(values["max-batch"]) }),
    ...(values.lanes === undefined ? {} : { lanes: Number(values.lanes) }),
  };
  const repeat = Math.max(1, Number(values.repeat));
  const stores = values.store === "both" ? ["sqlite", "mysql"] : [values.store];
  // The machine may be shared: print the load and this process's CPU time next to the rate.
  const measure = async (name: string, store: Store) => {
    for (let run = 0; run < repeat; run++) {
      const result = await benchStoreDetailed(store, options);
      console.log(
        `${name}: ${Math.round(result.messagesPerSecond).toLocaleString("en")} msgs/s (${JSON.stringify(options)}; ` +
          `${Math.round(result.meanBatch)} per transaction; this process ${result.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg; load ${loadavg()[0]?.toFixed(1)})`,
      );
    }
  };

  const dataDir = await mkdtemp(join(tmpdir(), "mpchat-bench-"));
  try {
    if (stores.includes("sqlite")) {
      const sqlite = await openStore({ dataDir });
      await measure("sqlite", sqlite);
      await sqlite.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  if (!stores.includes("mysql")) return;
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
    await measure("mysql", mysql);
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
