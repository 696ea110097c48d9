/**
 * The ONE place the server address lives.
 *
 * - Development (DevTools, and a phone running a development build): the server started with
 *   `pnpm start` on this computer, `http://localhost:3000` / `ws://localhost:3000`. DevTools needs
 *   "不校验合法域名" (project.config.json sets `urlCheck: false`). A phone cannot reach
 *   `localhost`: start the server with `HOST=0.0.0.0` and put the computer's LAN address here,
 *   e.g. `http://192.168.1.20:3000`.
 * - Trial and release builds: WeChat only allows `https://` and `wss://` on a domain whitelisted in
 *   the mini program's admin console (an ICP-filed domain, no IP, no localhost). Put yours below.
 *
 * Which one is used follows the build the user runs (`envVersion` of wx.getAccountInfoSync):
 * `develop` → DEVELOPMENT_SERVER, `trial`/`release` → PRODUCTION_SERVER.
 */
export interface ServerAddress {
  /** Origin of the HTTP API, without a trailing slash; routes start with /v1. */
  readonly http: string;
  /** Origin of the WebSocket endpoint, without a trailing slash. */
  readonly ws: string;
}

export const DEVELOPMENT_SERVER: ServerAddress = {
  http: "http://localhost:3000",
  ws: "ws://localhost:3000",
};

export const PRODUCTION_SERVER: ServerAddress = {
  http: "https://chat.example.com",
  ws: "wss://chat.example.com",
};

/** The WebSocket route of protocol v1. */
export const WEBSOCKET_PATH = "/v1/ws";

type EnvVersion = "develop" | "trial" | "release";

/** Reads which build is running; an old base library without the API counts as development. */
function currentEnvVersion(): EnvVersion {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion;
  } catch {
    return "develop";
  }
}

export function serverAddress(envVersion: EnvVersion = currentEnvVersion()): ServerAddress {
  return envVersion === "develop" ? DEVELOPMENT_SERVER : PRODUCTION_SERVER;
}

export function webSocketUrl(address: ServerAddress = serverAddress()): string {
  return `${address.ws}${WEBSOCKET_PATH}`;
}
