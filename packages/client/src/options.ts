import type { BackoffOptions } from "./backoff";
import type { HttpClient } from "./ports/http";
import type { KeyValueStorage } from "./ports/storage";
import type { Timers } from "./ports/timers";
import type { Transport } from "./ports/transport";

export interface ChatClientOptions {
  /** WebSocket endpoint, e.g. `wss://chat.example.com/v1/ws`. */
  url: string;
  /** Origin of the REST routes, e.g. `https://chat.example.com` (`/v1/...` is appended). */
  httpBase: string;
  /** The bearer token. Give `token` or `getToken`. */
  token?: string;
  /** Called before each connect and HTTP request; lets the app refresh the token. */
  getToken?: () => string | Promise<string>;
  transport: Transport;
  http: HttpClient;
  /** Where the outbox lives. Default: memory (lost on restart). */
  storage?: KeyValueStorage;
  /** Storage key of the outbox. Include the user id when several users may share a device. Default `mpchat:outbox`. */
  storageKey?: string;
  /** Clock, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Uniform random in [0, 1). Default `Math.random`. */
  random?: () => number;
  timers?: Timers;
  /** Timeout of each WebSocket request and HTTP call. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Opening the socket must succeed within this. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Reconnect and send-retry backoff. Default base 500 ms, max 30 s. */
  backoff?: Partial<BackoffOptions>;
  /** Messages fetched when a conversation is first seen (older ones come from `loadOlder`). Default 50; `Infinity` for all. */
  initialHistory?: number;
  /** Page size of `sync` requests (1..200). Default 100. */
  syncPageSize?: number;
  /** Sends in flight at once; more wait in the outbox. Default 16. */
  maxSendsInFlight?: number;
  /** A `typing` frame is sent at most once per this many ms per conversation. Default 2 000. */
  typingThrottleMs?: number;
}
