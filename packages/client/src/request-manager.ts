import type { ServerFrame } from "@mpchat/protocol";
import { ChatError } from "./errors";
import type { Timers } from "./ports/timers";

/** The frames that answer a request, by type. */
export type AnswerFrame = Extract<ServerFrame, { type: "ready" | "ack" | "batch" | "ok" | "pong" }>;
export type AnswerType = AnswerFrame["type"];
export type AnswerOf<T extends AnswerType> = Extract<AnswerFrame, { type: T }>;

interface Pending {
  expect: AnswerType;
  resolve(frame: AnswerFrame): void;
  reject(error: ChatError): void;
  timer: unknown;
}

/**
 * Requests in flight on one socket, by id. Each has its own timeout; `failAll`
 * settles every one of them when the socket goes, so no caller waits forever.
 */
export class RequestManager {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;

  constructor(
    private readonly timers: Timers,
    private readonly timeoutMs: number,
  ) {}

  /** A fresh id and a promise of the answer of type `expect` (an `error` answer rejects). */
  register<T extends AnswerType>(expect: T, timeoutMs = this.timeoutMs): { id: string; answer: Promise<AnswerOf<T>> } {
    this.counter += 1;
    const id = String(this.counter);
    const answer = new Promise<AnswerOf<T>>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new ChatError("timeout", `no answer to request ${id} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        expect,
        resolve: resolve as (frame: AnswerFrame) => void,
        reject,
        timer,
      });
    });
    return { id, answer };
  }

  /** Settle the request a frame answers. False when the frame answers nothing pending (e.g. after a timeout). */
  settle(frame: ServerFrame): boolean {
    if (!("id" in frame) || frame.id === undefined) return false;
    const entry = this.pending.get(frame.id);
    if (!entry) return false;
    this.pending.delete(frame.id);
    this.timers.clearTimeout(entry.timer);
    if (frame.type === "error") entry.reject(new ChatError(frame.code, frame.message, undefined, frame.retryAfterMs));
    else if (frame.type !== entry.expect)
      entry.reject(new ChatError("internal", `expected ${entry.expect}, got ${frame.type}`));
    else entry.resolve(frame as AnswerFrame);
    return true;
  }

  /** Reject every pending request (the socket closed). */
  failAll(error: ChatError): void {
    const entries = Array.from(this.pending.values());
    this.pending.clear();
    for (const entry of entries) {
      this.timers.clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  get size(): number {
    return this.pending.size;
  }
}
