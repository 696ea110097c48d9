import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface FaultOptions {
  /** Upstream port on 127.0.0.1. */
  targetPort: number;
  random: () => number;
  /** Time between faults on one connection: uniform in [min, max] ms. Without it, no random faults. */
  faultEveryMs?: [number, number];
  /** How long a random stall holds the bytes back: uniform in [min, max] ms. */
  stallMs?: [number, number];
  /**
   * The first `connections` WebSocket connections stall for `ms` right after the upgrade:
   * once the server's first bytes (the 101 answer) reached the client, nothing flows either
   * way, as on a mobile network that freezes just after connecting. Plain HTTP requests
   * through the proxy are not counted and not stalled.
   */
  stallAfterUpgrade?: { ms: number; connections: number };
  /**
   * Cuts of chosen HTTP requests, used up in order: each request whose request
   * line starts with the next cut's `requestLine` gets that cut.
   */
  requestCuts?: RequestCut[];
}

/** One cut HTTP request (e.g. an upload cut mid-way, or its answer lost). */
export interface RequestCut {
  /** The start of the request line, e.g. `POST /v1/media`. */
  requestLine: string;
  /** Cut the connection once this many bytes of the request (from its request line) went upstream... */
  afterRequestBytes?: number;
  /** ...or when the server's answer begins, which is thrown away: the request was handled, the answer lost. */
  atResponse?: boolean;
}

export interface FaultCounts {
  connections: number;
  cuts: number;
  stalls: number;
  drops: number;
  /** Connections that began with a WebSocket upgrade request. */
  upgrades: number;
  /** HTTP requests cut as `requestCuts` asked. */
  requestCuts: number;
}

/**
 * A TCP proxy on 127.0.0.1 that breaks connections at random moments:
 * - cut: both sides are destroyed at once;
 * - stall: bytes stop flowing in both directions for a while, then flow again;
 * - drop: part of the next chunk is forwarded and the rest thrown away. On a
 *   WebSocket that corrupts the stream, so the connection is then cut: what a
 *   peer sees is a frame that stops in the middle.
 * `calm()` stops new faults (stalls in progress end as scheduled).
 */
export class FaultProxy {
  readonly counts: FaultCounts = { connections: 0, cuts: 0, stalls: 0, drops: 0, upgrades: 0, requestCuts: 0 };
  private readonly server: Server;
  private readonly live = new Set<Socket>();
  /** How to cut each open WebSocket connection now. */
  private readonly webSockets = new Set<() => void>();
  private readonly requestCuts: RequestCut[];
  private readonly timers = new Set<NodeJS.Timeout>();
  private calmed = false;
  port = 0;

  constructor(private readonly options: FaultOptions) {
    this.server = createServer((client) => this.handle(client));
    this.requestCuts = [...(options.requestCuts ?? [])];
  }

  /** Cut every open WebSocket connection (HTTP requests go on); returns how many were cut. */
  cutWebSockets(): number {
    const cuts = [...this.webSockets];
    for (const cut of cuts) cut();
    this.counts.cuts += cuts.length;
    return cuts.length;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    this.port = address.port;
  }

  calm(): void {
    this.calmed = true;
  }

  async close(): Promise<void> {
    this.calmed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.live) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private between([min, max]: [number, number]): number {
    return min + Math.floor(this.options.random() * (max - min + 1));
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  /** Counts an upgrade request and says how long its connection stalls after the answer (0: not at all). */
  private upgradeStallFor(firstChunk: Buffer): number {
    if (!/^upgrade:\s*websocket\s*$/im.test(firstChunk.toString("latin1"))) return 0;
    this.counts.upgrades += 1;
    const stall = this.options.stallAfterUpgrade;
    return stall && this.counts.upgrades <= stall.connections ? stall.ms : 0;
  }

  private handle(client: Socket): void {
    this.counts.connections += 1;
    const upstream = createConnection({ host: "127.0.0.1", port: this.options.targetPort });
    for (const socket of [client, upstream]) {
      this.live.add(socket);
      socket.setNoDelay(true);
      socket.on("error", () => undefined);
    }
    let closed = false;
    let stalled = false;
    let dropNext = false;
    const cut = () => {
      if (closed) return;
      closed = true;
      client.destroy();
      upstream.destroy();
      this.live.delete(client);
      this.live.delete(upstream);
    };
    client.on("close", cut);
    upstream.on("close", cut);
    const queues: Array<{ to: Socket; chunks: Buffer[] }> = [
      { to: upstream, chunks: [] },
      { to: client, chunks: [] },
    ];
    const forward = (queue: { to: Socket; chunks: Buffer[] }, chunk: Buffer) => {
      if (closed) return;
      if (stalled) {
        queue.chunks.push(chunk);
        return;
      }
      if (dropNext) {
        dropNext = false;
        this.counts.drops += 1;
        // Forward a prefix, lose the rest: the frame in flight ends in the middle.
        queue.to.write(chunk.subarray(0, Math.floor(this.options.random() * chunk.length)), () => cut());
        return;
      }
      queue.to.write(chunk);
    };
    const stall = (ms: number, then: () => void) => {
      this.counts.stalls += 1;
      stalled = true;
      this.later(ms, () => {
        stalled = false;
        for (const queue of queues) {
          const held = queue.chunks.splice(0);
          for (const chunk of held) forward(queue, chunk);
        }
        then();
      });
    };
    // Set from the client's first bytes: how long to stall once the server answered the upgrade.
    let upgradeStallMs: number | undefined;
    let answered = false;
    /** The request being cut on this connection, and how many of its bytes went upstream. */
    let watched: { cut: RequestCut; sent: number } | null = null;
    const cutRequest = () => {
      this.counts.requestCuts += 1;
      cut();
    };
    client.on("data", (chunk: Buffer) => {
      if (upgradeStallMs === undefined) {
        upgradeStallMs = this.upgradeStallFor(chunk);
        if (/^upgrade:\s*websocket\s*$/im.test(chunk.toString("latin1"))) this.webSockets.add(cut);
      }
      const next = this.requestCuts[0];
      const at = watched || !next ? -1 : chunk.indexOf(next.requestLine, 0, "latin1");
      if (next && at !== -1) {
        this.requestCuts.shift();
        watched = { cut: next, sent: -at };
      }
      const limit = watched?.cut.afterRequestBytes;
      if (watched && limit !== undefined && watched.sent + chunk.length >= limit) {
        const part = chunk.subarray(0, limit - watched.sent);
        watched = null;
        if (closed) return;
        upstream.write(part, cutRequest);
        return;
      }
      if (watched) watched.sent += chunk.length;
      forward(queues[0] as (typeof queues)[0], chunk);
    });
    client.on("close", () => this.webSockets.delete(cut));
    upstream.on("data", (chunk: Buffer) => {
      if (watched) {
        // The server answers: the watched request is over (cut here when its answer is to be lost).
        const loseAnswer = watched.cut.atResponse === true;
        watched = null;
        if (loseAnswer) {
          cutRequest();
          return;
        }
      }
      forward(queues[1] as (typeof queues)[1], chunk);
      if (answered) return;
      answered = true;
      if (upgradeStallMs) stall(upgradeStallMs, () => undefined);
    });

    const { faultEveryMs, stallMs } = this.options;
    if (!faultEveryMs) return;
    const scheduleFault = () => {
      this.later(this.between(faultEveryMs), () => {
        if (closed || this.calmed) return;
        const dice = this.options.random();
        if (dice < 0.4) {
          this.counts.cuts += 1;
          cut();
          return;
        }
        if (dice < 0.7) {
          stall(this.between(stallMs ?? [100, 1_000]), scheduleFault);
          return;
        }
        dropNext = true;
        scheduleFault();
      });
    };
    scheduleFault();
  }
}
