import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import type { AppendResult, Store } from "../../src/store/store";
import { suiteTitle } from "../cluster/support/env";
import { createFreshDatabase, type FreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";

const WORKER = fileURLToPath(new URL("./fixtures/append-worker.ts", import.meta.url));
const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));
const SENDERS = 10;
const PER_SENDER = 60;
const SHARED = 20;

interface Worker {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  nextLine: () => Promise<string>;
}

function startWorker(name: string, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env, WORKER: name },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`worker ${name} exited (${code}) before answering: ${stderr}`);
  });
  exited.catch(() => undefined);
  const nextLine = () => {
    const ready = lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
  };
  return { child, lines, nextLine };
}

describe.skipIf(!MYSQL_URL)(
  suiteTitle(
    "two processes appending into one MariaDB conversation",
    MYSQL_URL ? undefined : "skipped: MYSQL_URL not set; CI sets it",
  ),
  { timeout: 120_000 },
  () => {
    let database: FreshDatabase;
    let store: Store;
    const workers: Worker[] = [];

    beforeAll(async () => {
      database = await createFreshDatabase(MYSQL_URL ?? "");
      store = await openStore({ databaseUrl: database.url, dataDir: "unused", timeoutMs: 20_000 });
    }, 60_000);

    afterAll(async () => {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill();
      await store?.close();
      await database?.drop();
    }, 60_000);

    it("allocates dense seqs 1..N with no duplicates, and stores a key both send exactly once", async () => {
      const senders = Array.from({ length: SENDERS }, (_, s) => `sender${s}`);
      for (const id of senders) await store.upsertUser({ id, name: id });
      const main = await store.createGroup({ id: "main", title: "main", memberIds: senders, now: Date.now() });
      const sharedA = await store.createGroup({ id: "shared-a", title: "a", memberIds: senders, now: Date.now() });
      const sharedB = await store.createGroup({ id: "shared-b", title: "b", memberIds: senders, now: Date.now() });
      const common = {
        DATABASE_URL: database.url,
        UNIQUE_CONVERSATION: main.id,
        SENDERS: String(SENDERS),
        PER_SENDER: String(PER_SENDER),
        SHARED: String(SHARED),
      };
      workers.push(startWorker("a", { ...common, SHARED_CONVERSATION: sharedA.id }));
      workers.push(startWorker("b", { ...common, SHARED_CONVERSATION: sharedB.id }));
      for (const w of workers) expect(await w.nextLine()).toBe("ready");
      for (const w of workers) w.child.stdin.write("go\n");
      const outputs = await Promise.all(workers.map(async (w) => JSON.parse(await w.nextLine()) as AppendResult[]));
      await Promise.all(workers.map((w) => (w.child.exitCode === null ? once(w.child, "exit") : undefined)));

      // The main conversation: both workers' unique messages, dense, each once.
      const total = 2 * SENDERS * PER_SENDER;
      const rows = [];
      for (let afterSeq = 0, guard = 0; guard < 100; guard++) {
        const page = await store.listMessages(main.id, { afterSeq, limit: 200 });
        rows.push(...page.messages);
        if (!page.hasMore) break;
        afterSeq = page.messages.at(-1)?.seq ?? afterSeq;
      }
      expect(rows.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(new Set(rows.map((m) => m.id)).size).toBe(total);
      expect((await store.getConversation(main.id))?.lastSeq).toBe(total);

      // Every ack matches what is stored.
      const storedById = new Map(rows.map((m) => [m.id, m]));
      for (const output of outputs) {
        for (const result of output) {
          expect(result.status).not.toBe("not_found");
          if (result.status === "not_found") continue;
          const message = result.message;
          if (message.conversationId === main.id) expect(storedById.get(message.id)).toEqual(message);
        }
      }

      // Shared keys: one stored message per (sender, key), and both workers were told the same one.
      const sharedSeqs = async (id: string) => (await store.listMessages(id, { afterSeq: 0, limit: 200 })).messages;
      const inA = await sharedSeqs(sharedA.id);
      const inB = await sharedSeqs(sharedB.id);
      expect(inA.length + inB.length).toBe(SENDERS * SHARED);
      expect(inA.map((m) => m.seq)).toEqual(Array.from({ length: inA.length }, (_, i) => i + 1));
      expect(inB.map((m) => m.seq)).toEqual(Array.from({ length: inB.length }, (_, i) => i + 1));
      const answerFor = (output: AppendResult[], senderId: string, clientMsgId: string) =>
        output.find(
          (r) => r.status !== "not_found" && r.message.senderId === senderId && r.message.clientMsgId === clientMsgId,
        );
      const [outA = [], outB = []] = outputs;
      for (const senderId of senders) {
        for (let i = 0; i < SHARED; i++) {
          const a = answerFor(outA, senderId, `shared-${i}`);
          const b = answerFor(outB, senderId, `shared-${i}`);
          expect(a && b && a.status !== "not_found" && b.status !== "not_found").toBe(true);
          if (a?.status === "not_found" || b?.status === "not_found") continue;
          expect(a?.message).toEqual(b?.message);
        }
      }
    });
  },
);

if (!MYSQL_URL) {
  describe("two processes appending into one MariaDB conversation", () => {
    it.skip(MYSQL_SKIP_REASON, () => {});
  });
}
