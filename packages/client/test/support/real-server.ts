import type { Message } from "@mpchat/protocol";
import { startTestServer, type TestServer } from "@mpchat/server/testing";
import { afterEach } from "vitest";
import WebSocket from "ws";
import { fetchHttp } from "../../src/adapters/fetch-http";
import { memoryStorage } from "../../src/adapters/storages";
import { type WebSocketConstructor, webSocketTransport } from "../../src/adapters/web-socket-transport";
import { ChatClient } from "../../src/chat-client";
import type { ChatClientOptions } from "../../src/options";
import { RestApi } from "../../src/rest-api";

export const nodeTransport = webSocketTransport(WebSocket as unknown as WebSocketConstructor);
export const nodeHttp = fetchHttp(fetch as unknown as Parameters<typeof fetchHttp>[0]);

/** Dev login straight to the server (not through any proxy); returns the token. */
export async function login(server: { httpUrl: string }, userId: string): Promise<string> {
  const api = new RestApi({ httpBase: server.httpUrl, http: nodeHttp });
  return (await api.devLogin(userId)).token;
}

/** A ChatClient for Node talking to `endpoints`, recording its message events. */
export function realClient(
  endpoints: { httpUrl: string; wsUrl: string },
  token: string,
  options: Partial<ChatClientOptions> = {},
) {
  const client = new ChatClient({
    url: endpoints.wsUrl,
    httpBase: endpoints.httpUrl,
    token,
    transport: nodeTransport,
    http: nodeHttp,
    storage: memoryStorage(),
    initialHistory: Number.POSITIVE_INFINITY,
    ...options,
  });
  const received: Message[] = [];
  client.on("message", (message) => received.push(message));
  return { client, received };
}

/** Resolves when `predicate` holds, checked after each event of the client; rejects after `timeoutMs`. */
export function until(client: ChatClient, predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const offs: Array<() => void> = [];
    const timer = setTimeout(() => {
      for (const off of offs) off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      for (const off of offs) off();
      resolve();
    };
    for (const event of [
      "message",
      "state",
      "recovered",
      "outbox",
      "conversation",
      "sent",
      "user",
      "recalled",
    ] as const) {
      offs.push(client.on(event, check));
    }
  });
}

/**
 * One real server per test: `start()` boots it, `onCleanup()` registers closers (clients) that run
 * before the server is closed after each test. Registers its own `afterEach`, so call it inside `describe`.
 */
export function useRealServer() {
  let current: TestServer | undefined;
  const cleanups: Array<() => void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await current?.close();
    current = undefined;
  });
  return {
    async start(options?: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
      current = await startTestServer(options);
      return current;
    },
    onCleanup(...closers: Array<() => void>): void {
      cleanups.push(...closers);
    },
    /** The server of the running test; throws when `start()` has not been called. */
    get server(): TestServer {
      if (!current) throw new Error("no server: call start() first");
      return current;
    },
  };
}
