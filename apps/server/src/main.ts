import type { AddressInfo } from "node:net";
import { buildApp } from "./app";
import { withTokenSecret } from "./auth/token-secret";
import { type Config, ConfigError, loadConfig } from "./config";
import { webPagesBuilt } from "./http/web-pages-route";
import { StoreUnavailableError } from "./store/errors";
import { openStore } from "./store/open-store";

/**
 * The process: read the config, open the store, listen, and on SIGTERM/SIGINT
 * drain (requests in flight are committed and acked, sockets close with 1001),
 * close the store and exit 0. Exit 1 when the start fails or the drain overruns
 * SHUTDOWN_TIMEOUT_MS.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = withTokenSecret(loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`mpchat: ${error.message}\n`);
    process.exit(1);
  }

  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.mysqlPoolSize,
    timeoutMs: config.dbTimeoutMs,
  }).catch((error: unknown) => {
    // An operator's mistake (wrong host, database down): say which setting, not a stack trace.
    if (!(error instanceof StoreUnavailableError)) throw error;
    const where = config.databaseUrl ? `DATABASE_URL (${redactPassword(config.databaseUrl)})` : "the SQLite file";
    process.stderr.write(`mpchat: cannot open the store at ${where}: ${error.message}\n`);
    process.exit(1);
  });
  const app = await buildApp(config, { store });
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  // Tests start the server on PORT=0 and read the real port from this line.
  app.log.info({ port, host: config.host }, `mpchat listening on http://${config.host}:${port}`);
  if (config.webChat && webPagesBuilt(config.webDir)) {
    // What a newcomer looks for after `pnpm start`: where to chat, with no WeChat DevTools.
    const shown = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
    const address = `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}/`;
    app.log.info({ url: address }, `web chat: open ${address} in two tabs and log in as two users`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    setTimeout(() => {
      app.log.error({ timeoutMs: config.shutdownTimeoutMs }, "shutdown took too long; exiting");
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await app.close();
    await store.close();
    app.log.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
}

main().catch((error: unknown) => {
  process.stderr.write(`mpchat: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exit(1);
});
