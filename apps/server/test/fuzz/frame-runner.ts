import { decodeServerFrame, type ServerFrame } from "@mpchat/protocol";
import WebSocket from "ws";
import type { Expectation, FrameCase, FrameContext } from "./frames";

/** What a fuzz run saw: counts by family and by answer, reconnects, and every finding. */
export interface FrameStats {
  frames: number;
  families: Map<string, number>;
  answers: Map<string, number>;
  /** Connections closed with 4400 (too many protocol violations), each reopened. */
  closed4400: number;
  /** Frames left unanswered because their connection was closed with 4400 first. */
  cutBy4400: number;
  findings: string[];
}

export function emptyStats(): FrameStats {
  return { frames: 0, families: new Map(), answers: new Map(), closed4400: 0, cutBy4400: 0, findings: [] };
}

const bump = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);
const MAX_FINDINGS = 50;
const WINDOW_TIMEOUT_MS = 30_000;

/** One authenticated socket that reports every frame it gets. */
class FuzzSocket {
  readonly closed: Promise<number>;
  onFrame: (frame: ServerFrame | undefined, text: string) => void = () => {};
  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.once("close", (code) => resolve(code)));
    socket.on("message", (data) => {
      const text = data.toString();
      const parsed = decodeServerFrame(text);
      this.onFrame(parsed.ok ? parsed.value : undefined, text);
    });
  }

  static async open(wsUrl: string, token: string): Promise<FuzzSocket> {
    const socket = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const fuzz = new FuzzSocket(socket);
    const ready = new Promise<ServerFrame | undefined>((resolve) => {
      fuzz.onFrame = (frame) => resolve(frame);
    });
    socket.send(JSON.stringify({ type: "auth", id: "fuzz-auth", token }));
    const frame = await ready;
    if (frame?.type !== "ready") throw new Error(`fuzz socket not ready: ${JSON.stringify(frame)}`);
    return fuzz;
  }
}

/** Why `frame` is not the documented answer to `expected`, or undefined when it is. */
function mismatch(expected: Expectation, frame: ServerFrame): string | undefined {
  if (expected.kind === "answer") return frame.type === expected.type ? undefined : `wanted ${expected.type}`;
  if (expected.kind === "error") {
    return frame.type === "error" && frame.code === expected.code ? undefined : `wanted error ${expected.code}`;
  }
  return "wanted no answer with an id";
}

/**
 * Sends the cases in windows on one connection (reopened after a 4400 close), each
 * window followed by a ping as a barrier: errors without an id are answered before
 * it, answers with an id are matched by id. Every frame must get its documented answer.
 */
export class FrameRunner {
  readonly stats = emptyStats();
  private socket: FuzzSocket | undefined;
  private windows = 0;

  constructor(
    private readonly wsUrl: string,
    private readonly token: string,
    private readonly ctx: FrameContext,
  ) {}

  private found(finding: string): void {
    if (this.stats.findings.length < MAX_FINDINGS) this.stats.findings.push(finding);
  }

  async run(cases: ReadonlyArray<(n: number, ctx: FrameContext) => FrameCase>): Promise<void> {
    this.socket ??= await FuzzSocket.open(this.wsUrl, this.token);
    const socket = this.socket;
    const barrier = `barrier-${++this.windows}`;
    const pending = new Map<string, { expect: Expectation; family: string; data: string }>();
    let anonymousExpected = 0;
    let anonymousGot = 0;
    let barrierSeen = false;
    let settle = () => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const check = () => {
      if (barrierSeen && pending.size === 0) settle();
    };
    socket.onFrame = (frame, text) => {
      if (!frame) return this.found(`server frame outside the protocol: ${text.slice(0, 200)}`);
      if (frame.type === "error") bump(this.stats.answers, `error ${frame.code}`);
      else if ("id" in frame && frame.id !== undefined) bump(this.stats.answers, frame.type);
      if (frame.type === "error" && frame.code === "internal") this.found(`internal: ${text.slice(0, 200)}`);
      const id = "id" in frame ? frame.id : undefined;
      if (frame.type === "pong" && id === barrier) barrierSeen = true;
      else if (frame.type === "error" && id === undefined) {
        anonymousGot++;
        if (frame.code !== "bad_request") this.found(`anonymous ${frame.code}: ${text.slice(0, 200)}`);
      } else if (id !== undefined && id !== "fuzz-auth") {
        const entry = pending.get(id);
        if (!entry) this.found(`answer to no frame of this window: ${text.slice(0, 200)}`);
        else {
          pending.delete(id);
          const why = mismatch(entry.expect, frame);
          if (why) this.found(`${entry.family}: ${why}, got ${text.slice(0, 160)} for ${entry.data.slice(0, 160)}`);
        }
      }
      check();
    };
    for (const build of cases) {
      const c = build(this.stats.frames++, this.ctx);
      bump(this.stats.families, c.family);
      if (c.expect.kind === "anonymous") anonymousExpected++;
      else if (c.expect.kind !== "none") {
        const data = typeof c.data === "string" ? c.data : "<binary>";
        if (pending.has(c.expect.id)) this.found(`duplicate id generated: ${c.expect.id}`);
        pending.set(c.expect.id, { expect: c.expect, family: c.family, data });
      }
      socket.socket.send(c.data, { binary: c.binary ?? false });
    }
    socket.socket.send(JSON.stringify({ type: "ping", id: barrier }));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      settled.then(() => "settled" as const),
      socket.closed.then((code) => code),
      new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), WINDOW_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === "settled") {
      if (anonymousGot !== anonymousExpected) {
        this.found(`wanted ${anonymousExpected} errors without id, got ${anonymousGot}`);
      }
      return;
    }
    if (outcome === 4400) {
      // The documented answer to repeated violations; what was still in flight is cut.
      this.stats.closed4400++;
      this.stats.cutBy4400 += pending.size + Math.max(0, anonymousExpected - anonymousGot);
    } else {
      this.found(
        `window ended by ${outcome === "timeout" ? "a timeout" : `close ${outcome}`} with ${pending.size} unanswered, e.g. ${[...pending.values()][0]?.data.slice(0, 160)}`,
      );
      socket.socket.terminate();
    }
    this.socket = undefined;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.socket.close();
    await socket.closed;
  }
}
