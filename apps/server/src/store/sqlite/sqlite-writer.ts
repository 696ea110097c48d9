import { Worker } from "node:worker_threads";
import { StoreUnavailableError } from "../errors";
import type { AppendInput, AppendResult } from "../store";
import { type AppendAnswer, decodeResults, encodeBatch } from "./append-wire";
import { type WriterEntry, writerEntry } from "./writer-entry";
import {
  SqliteWriterError,
  type StatementMethod,
  type StatementRows,
  type WriterOptions,
  type WriterRequest,
  type WriterResponse,
} from "./writer-protocol";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The main thread's side of the writer worker (sqlite-writer-worker.ts): every
 * write of the SQLite store goes through it and resolves once the worker ran
 * it (an append: once its batch committed). Errors of the worker's statements
 * reject as SqliteWriterError with libsql's name, message and code. When the
 * worker dies, everything pending and everything after rejects with
 * StoreUnavailableError (and `ping` with it, so /readyz turns red): nothing
 * waits on a thread that is gone.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: StoreUnavailableError | null = null;
  private closing = false;
  private readonly exited: Promise<void>;

  private constructor(options: WriterOptions, entry: WriterEntry) {
    this.worker = new Worker(entry.url, { workerData: options, execArgv: entry.execArgv });
    // Held only while a request waits for its answer: an idle writer does not keep the process alive.
    this.worker.unref();
    this.worker.on("message", (response: WriterResponse) => this.settle(response));
    this.worker.on("error", (error) =>
      this.fail(new StoreUnavailableError("the SQLite writer failed", { cause: error })),
    );
    this.worker.on("messageerror", (error) =>
      this.fail(new StoreUnavailableError("the SQLite writer sent an unreadable answer", { cause: error })),
    );
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", (code) => {
        if (!this.closing) this.fail(new StoreUnavailableError(`the SQLite writer stopped (exit code ${code})`));
        resolve();
      });
    });
  }

  /** Starts the worker and waits until it opened the database (or rejects with why it could not). */
  static async start(options: WriterOptions, entry: WriterEntry = writerEntry()): Promise<SqliteWriter> {
    const writer = new SqliteWriter(options, entry);
    try {
      await writer.ping();
    } catch (error) {
      await writer.worker.terminate();
      throw error;
    }
    return writer;
  }

  /** One group-commit batch in one transaction (SqliteAppender.append, in the worker). */
  async append(batch: readonly AppendInput[], checkStored: boolean): Promise<AppendResult[]> {
    const text = encodeBatch(batch);
    const answer = await this.request<AppendAnswer>((id) => ({ id, kind: "append", batch: text, checkStored }));
    return decodeResults(batch, answer);
  }

  /** One statement built by drizzle (the sqlite-proxy driver's callback). */
  statement(sql: string, params: unknown[], method: StatementMethod): Promise<StatementRows> {
    return this.request((id) => ({ id, kind: "statement", sql, params, method }));
  }

  /** Answers when the worker runs and its connection reads. */
  ping(): Promise<void> {
    return this.request((id) => ({ id, kind: "ping" }));
  }

  /** Closes the connection and ends the worker; requests sent before still get their answers. */
  async close(): Promise<void> {
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    const closed = this.request((id) => ({ id, kind: "close" }));
    this.closing = true;
    await closed;
    // Held until the thread is gone (its last answer let go of it), so that close() settles.
    this.worker.ref();
    await this.exited;
  }

  private request<T>(make: (id: number) => WriterRequest): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StoreUnavailableError("the SQLite store is closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      try {
        this.worker.postMessage(make(id));
      } catch (error) {
        reject(error);
        return;
      }
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private settle(response: WriterResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.worker.unref();
    if (response.ok) pending.resolve(response.value);
    else pending.reject(new SqliteWriterError(response.error));
  }

  private fail(error: StoreUnavailableError): void {
    this.failure ??= error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.worker.unref();
    for (const p of pending) p.reject(this.failure);
  }
}
