import { parentPort, workerData } from "node:worker_threads";
import Database from "libsql";
import { decodeBatch, encodeResults } from "./append-wire";
import { SqliteAppender } from "./sqlite-appender";
import {
  type StatementMethod,
  type StatementRows,
  serializeError,
  type WriterOptions,
  type WriterRequest,
  type WriterResponse,
} from "./writer-protocol";

/**
 * The SQLite writer: a worker thread that owns the store's only write
 * connection. A commit's fsync blocks the thread that runs it; here that is
 * this thread, so the event loop keeps serving sockets (and the next batch
 * keeps growing) while a batch commits. It knows no tables: it runs the
 * appender's batches and the statements drizzle built on the main thread.
 * Requests are handled one at a time, in arrival order (the main thread's
 * write lock already sends them one writer at a time).
 *
 * Loaded as prebuilt JS (dist/sqlite-writer-worker.js, `pnpm build`) or, when
 * that is absent, from this source through tsx (see writer-entry.ts).
 */

const port = parentPort;
if (!port) throw new Error("sqlite-writer-worker.ts runs as a worker thread");
const options = workerData as WriterOptions;

const db = new Database(options.path, { timeout: options.timeoutMs });
// Durability of an ack: the WAL is synced at every commit (the default; stated, not assumed).
db.exec("pragma synchronous = full");
const appender = new SqliteAppender(db);

/** Prepared statements by SQL text: drizzle's shared queries are a few dozen fixed texts. */
const statements = new Map<string, ReturnType<typeof db.prepare>>();
const MAX_STATEMENTS = 256;

function prepared(text: string) {
  let statement = statements.get(text);
  if (statement === undefined) {
    statement = db.prepare(text);
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statements.set(text, statement);
  }
  return statement;
}

function runStatement(text: string, params: unknown[], method: StatementMethod): StatementRows {
  // drizzle's transaction runs `rollback` after any failure, also one that SQLite already rolled back (SQLITE_FULL).
  if (text === "rollback" && !db.inTransaction) return { rows: [] };
  const statement = prepared(text);
  if (method === "run") {
    statement.run(params);
    return { rows: [] };
  }
  statement.raw(true);
  if (method === "get") return { rows: statement.get(params) };
  return { rows: statement.all(params) };
}

function handle(request: WriterRequest): WriterResponse {
  try {
    switch (request.kind) {
      case "append":
        return {
          id: request.id,
          ok: true,
          value: encodeResults(appender.append(decodeBatch(request.batch), request.checkStored)),
        };
      case "statement":
        return { id: request.id, ok: true, value: runStatement(request.sql, request.params, request.method) };
      case "ping":
        runStatement("select 1", [], "get");
        return { id: request.id, ok: true, value: null };
      case "close":
        db.close();
        return { id: request.id, ok: true, value: null };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: serializeError(error) };
  }
}

port.on("message", (request: WriterRequest) => {
  port.postMessage(handle(request));
  // After the answer to `close`: nothing else keeps this thread alive, so it exits.
  if (request.kind === "close") port.close();
});
