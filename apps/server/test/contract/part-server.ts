import { afterAll, beforeAll } from "vitest";
import type { Store } from "../../src/store/store";
import type { TestClient } from "../support/client";
import type { TestConfig, TestServer } from "../support/server";
import { type GuaranteeServer, type SuiteKind, startGuaranteeServer } from "./fixture";
import { closeAll, connectAll, TEST_TIMEOUT } from "./scenario";

/**
 * The server of one part of the guarantee suite, as its tests see it: the
 * fixture's server, reader and second instances, plus connections that are
 * closed with it. Read its fields inside hooks and tests only: the server
 * starts in the part's `beforeAll`.
 */
export interface PartServer {
  readonly server: TestServer;
  readonly reader: Store;
  startAnotherInstance(config?: TestConfig): Promise<TestServer>;
  /** Logs in and connects these users to the part's server (one connection each, in order). */
  connect(...userIds: string[]): Promise<TestClient[]>;
  /** The same on another server (a second instance). */
  connectOn(server: { httpUrl: string; wsUrl: string }, userIds: readonly string[]): Promise<TestClient[]>;
  /** Closes this client with the part (for clients connected some other way). */
  keep(client: TestClient): TestClient;
}

/**
 * Registers, in the calling `describe`, a `beforeAll` that starts a guarantee
 * server of `kind` and an `afterAll` that closes every client connected
 * through it and then the server.
 */
export function useGuaranteeServer(kind: SuiteKind, config?: TestConfig): PartServer {
  let started: GuaranteeServer | undefined;
  const clients: TestClient[] = [];
  const g = (): GuaranteeServer => {
    if (!started) throw new Error("the part's server is not started (read it inside a hook or a test)");
    return started;
  };
  const connectOn = async (server: { httpUrl: string; wsUrl: string }, userIds: readonly string[]) => {
    const connected = await connectAll(server, userIds);
    clients.push(...connected);
    return connected;
  };

  beforeAll(async () => {
    started = await startGuaranteeServer(kind, config);
  }, TEST_TIMEOUT);
  afterAll(async () => {
    await closeAll(clients);
    await started?.close();
  }, TEST_TIMEOUT);

  return {
    get server() {
      return g().server;
    },
    get reader() {
      return g().reader;
    },
    startAnotherInstance: (instanceConfig) => g().startAnotherInstance(instanceConfig),
    connect: (...userIds) => connectOn(g().server, userIds),
    connectOn,
    keep: (client) => {
      clients.push(client);
      return client;
    },
  };
}
