import { createConnection, createServer, type Socket } from "node:net";

/**
 * A TCP front door for tests, like a load balancer without sticky sessions: each
 * incoming connection goes to the first backend in `backends()` order that
 * accepts it. When a backend dies, its connections die with it, and the clients'
 * reconnects land on the next backend.
 */
export class FailoverProxy {
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((client) => this.accept(client));
  port = 0;

  private constructor(private readonly backends: () => number[]) {}

  /** `backends()` is asked on each connection: the ports to try, in order. */
  static async start(backends: () => number[]): Promise<FailoverProxy> {
    const proxy = new FailoverProxy(backends);
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

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  private accept(client: Socket): void {
    this.track(client);
    client.pause();
    void connectFirst(this.backends()).then((upstream) => {
      if (!upstream || client.destroyed) {
        upstream?.destroy();
        client.destroy();
        return;
      }
      this.track(upstream);
      // Either side closing (a killed backend, a leaving client) closes the other.
      upstream.once("close", () => client.destroy());
      client.once("close", () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}

/** The first backend that accepts a connection, or undefined when none does. */
async function connectFirst(ports: number[]): Promise<Socket | undefined> {
  for (const port of ports) {
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const attempt = createConnection({ host: "127.0.0.1", port });
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
