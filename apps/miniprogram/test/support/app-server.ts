import { startTestServer, type TestConfig, type TestServer } from "@mpchat/server/testing";
import { afterAll, beforeAll } from "vitest";
import { launchAndDevLogin } from "./flows";
import type { SimulatedApp } from "./simulated-app";

/**
 * The real server (dev login on) of one test file, as its tests see it. Read
 * `server` inside hooks and tests only: it starts in the file's `beforeAll`.
 */
export interface AppServer {
  readonly server: TestServer;
  /** A fresh app logged in as `name` by dev login; shut down with the server. */
  login(name: string, displayName?: string): Promise<SimulatedApp>;
  /** Shuts this app down with the server (for apps launched some other way). */
  keep(app: SimulatedApp): SimulatedApp;
}

/**
 * Registers, in the calling `describe`, a `beforeAll` that starts a server
 * with dev login and an `afterAll` that shuts down every app kept and then
 * closes the server. `config` is added to dev login (e.g. a content word list).
 */
export function useAppServer(config: TestConfig = {}): AppServer {
  let started: TestServer | undefined;
  const apps: SimulatedApp[] = [];
  const server = () => {
    if (!started) throw new Error("the server is not started (read it inside a hook or a test)");
    return started;
  };
  const keep = (app: SimulatedApp) => {
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    started = await startTestServer({ config: { devLogin: true, ...config } });
  });
  afterAll(async () => {
    for (const app of apps) app.shutdown();
    await started?.close();
  });

  return {
    get server() {
      return server();
    },
    login: async (name, displayName) => keep(await launchAndDevLogin(server().httpUrl, name, displayName)),
    keep,
  };
}
