import type { AppendAnswer } from "./append-wire";

/**
 * The messages between the SQLite store (main thread) and its writer worker
 * (sqlite-writer-worker.ts). Every request carries an id; the worker answers
 * each one, in the order it received them, with the same id.
 */

/** How drizzle's sqlite-proxy driver asks for a statement's result. */
export type StatementMethod = "run" | "all" | "get" | "values";

export type WriterRequest =
  /** `batch`: the inputs' JSON (append-wire.ts). */
  | { id: number; kind: "append"; batch: string; checkStored: boolean }
  | { id: number; kind: "statement"; sql: string; params: unknown[]; method: StatementMethod }
  | { id: number; kind: "ping" }
  | { id: number; kind: "close" };

/** A statement's rows: arrays of column values (`get`: one such array, or undefined). */
export interface StatementRows {
  rows: unknown;
}

export type WriterResponse =
  | { id: number; ok: true; value: AppendAnswer | StatementRows | null }
  | { id: number; ok: false; error: SerializedError };

/**
 * An error as it crosses the thread boundary. Structured clone keeps an
 * Error's message but drops its own properties, and SQLite's `code` is what
 * the store's error mapping reads (sqlite-errors.ts): so they travel by hand.
 */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  rawCode?: number;
}

/** What the worker is started with (`workerData`). */
export interface WriterOptions {
  path: string;
  timeoutMs: number;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { code, rawCode } = error as { code?: unknown; rawCode?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof rawCode === "number" ? { rawCode } : {}),
  };
}

/** The worker's error on this side: the same name, message and SQLite code as libsql threw there. */
export class SqliteWriterError extends Error {
  readonly code: string | undefined;
  readonly rawCode: number | undefined;

  constructor(serialized: SerializedError) {
    super(serialized.message);
    this.name = serialized.name;
    this.code = serialized.code;
    this.rawCode = serialized.rawCode;
    if (serialized.stack !== undefined) this.stack = serialized.stack;
  }
}
