import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of a database, for fault tests. `cut()`
 * simulates a network partition, the hard case for timeouts: open connections
 * stop carrying bytes (nothing is closed, so the driver only notices through its
 * own timeouts) and new connections are accepted but never reach the database.
 * `restore()` drops everything that was frozen (the server side rolls back any
 * open transaction) and forwards new connections again.
 */
export class CuttableProxy {
  private readonly pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  private readonly server = createServer((client) => this.accept(client));
  private isCut = false;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(targetHost: string, targetPort: number): Promise<CuttableProxy> {
    const proxy = new CuttableProxy(targetHost, targetPort);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once("error", reject);
      proxy.server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = proxy.server.address();
    if (address === null || typeof address === "string") throw new Error("proxy has no port");
    proxy.port = address.port;
    return proxy;
  }

  /** Connections currently open through the proxy (frozen ones included). */
  get connections(): number {
    return this.pairs.size;
  }

  cut(): void {
    this.isCut = true;
    for (const pair of this.pairs) {
      pair.client.unpipe();
      pair.upstream?.unpipe();
      pair.client.pause();
      pair.upstream?.pause();
    }
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
    const pair: { client: Socket; upstream: Socket | null } = { client, upstream: null };
    this.pairs.add(pair);
    client.on("error", () => this.drop(pair));
    client.once("close", () => this.drop(pair));
    if (this.isCut) {
      client.pause(); // accepted, never answered: the driver's connect timeout must fire
      return;
    }
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    pair.upstream = upstream;
    upstream.on("error", () => this.drop(pair));
    upstream.once("close", () => this.drop(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private drop(pair: { client: Socket; upstream: Socket | null }): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
