import { createConnection, createServer, type Socket } from "node:net";

/** A client connection through the proxy and, once it has one, its backend connection. */
interface Pair {
  client: Socket;
  upstream: Socket | null;
}

/**
 * A TCP proxy on 127.0.0.1 for tests.
 *
 * Failover, like a load balancer without sticky sessions: each incoming
 * connection goes to the first backend in `backends()` order that accepts it.
 * Either side closing (a killed backend, a leaving client) closes the other,
 * so clients' reconnects land on the next backend.
 *
 * Partition: `cut()` simulates a network partition, the hard case for
 * timeouts: open connections stop carrying bytes (nothing is closed, so a
 * driver only notices through its own timeouts) and new connections are
 * accepted but never reach a backend. `restore()` drops everything that was
 * frozen (a database rolls back any open transaction) and forwards new
 * connections again.
 */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private readonly server = createServer((client) => this.accept(client));
  private isCut = false;
  port = 0;

  private constructor(
    private readonly backends: () => readonly number[],
    private readonly host: string,
  ) {}

  /** `backends()` is asked on each connection: the ports on `host` to try, in order. */
  static async start(backends: () => readonly number[], host = "127.0.0.1"): Promise<TcpProxy> {
    const proxy = new TcpProxy(backends, host);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once("error", reject);
      proxy.server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = proxy.server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no port");
    proxy.port = address.port;
    return proxy;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/v1/ws`;
  }

  cut(): void {
    this.isCut = true;
    for (const pair of this.pairs) freeze(pair);
  }

  restore(): void {
    for (const pair of this.pairs) this.drop(pair);
    this.isCut = false;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const pair of this.pairs) this.drop(pair);
    await closed;
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, upstream: null };
    this.pairs.add(pair);
    client.on("error", () => this.drop(pair));
    client.once("close", () => this.drop(pair));
    // Nothing is read until a backend is connected; when cut, never: a driver's connect timeout must fire.
    client.pause();
    if (this.isCut) return;
    void connectFirst(this.backends(), this.host).then((upstream) => {
      if (!upstream || !this.pairs.has(pair)) {
        // No backend accepted, or the pair was dropped (closed, or restored) meanwhile.
        upstream?.destroy();
        this.drop(pair);
        return;
      }
      pair.upstream = upstream;
      upstream.on("error", () => this.drop(pair));
      upstream.once("close", () => this.drop(pair));
      if (this.isCut) return; // cut meanwhile: frozen as it is
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}

/** Stops a pair carrying bytes without closing either side. */
function freeze(pair: Pair): void {
  pair.client.unpipe();
  pair.upstream?.unpipe();
  pair.client.pause();
  pair.upstream?.pause();
}

/** The first backend that accepts a connection, or undefined when none does. */
async function connectFirst(ports: readonly number[], host: string): Promise<Socket | undefined> {
  for (const port of ports) {
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const attempt = createConnection({ host, port });
      attempt.once("connect", () => {
        attempt.removeAllListeners("error");
        resolve(attempt);
      });
      attempt.once("error", () => {
        attempt.destroy();
        resolve(undefined);
      });
    });
    if (socket) return socket;
  }
  return undefined;
}
