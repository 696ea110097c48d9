import type { FastifyInstance } from "fastify";
import type { Config } from "../../src/config";
import type { Store } from "../../src/store/store";
import type { TestServer } from "./server";

/**
 * Several app instances that together are "the server" (sharing one database
 * and one bus), seen as one TestServer: every read of `httpUrl` or `wsUrl`
 * moves on to the next instance, round-robin (HTTP and WebSocket each keep
 * their own turn). Code written for one server (`TestClient.connect(server, …)`,
 * `api(server, token)`, `TestClient.open(server)`) thereby spreads its sockets
 * and HTTP calls over the instances without knowing it.
 *
 * To keep one address (say, to put N sockets on N consecutive instances no
 * matter in which order their logins finish), read it once and pass a copy:
 * `{ httpUrl: group.httpUrl, wsUrl: group.wsUrl }`.
 */
export class ServerGroup implements TestServer {
  private httpTurn = 0;
  private wsTurn = 0;

  constructor(readonly instances: readonly [TestServer, ...TestServer[]]) {}

  /** The next instance's HTTP base URL. */
  get httpUrl(): string {
    return this.at(this.httpTurn++).httpUrl;
  }

  /** The next instance's WebSocket URL. */
  get wsUrl(): string {
    return this.at(this.wsTurn++).wsUrl;
  }

  /** The first instance's store connection (they all share one database). */
  get store(): Store {
    return this.instances[0].store;
  }

  /** The first instance's app (use `instances` to reach the others). */
  get app(): FastifyInstance {
    return this.instances[0].app;
  }

  /** The first instance's config; the settings a test may read (e.g. the token secret) are the same on all. */
  get config(): Config {
    return this.instances[0].config;
  }

  get dataDir(): string {
    return this.instances[0].dataDir;
  }

  /** Instance `i`, counting round. */
  at(i: number): TestServer {
    return this.instances[i % this.instances.length] as TestServer;
  }

  /** Closes every instance (each drains its own commits and sockets). */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.instances.map((instance) => instance.close()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
  }
}
