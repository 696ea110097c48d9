import { Limits } from "@mpchat/protocol";
import { memoryStorage } from "./adapters/storages";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff";
import type { HttpClient } from "./ports/http";
import type { KeyValueStorage } from "./ports/storage";
import { systemTimers, type Timers } from "./ports/timers";
import type { Transport } from "./ports/transport";
import type { UploadClient } from "./ports/upload";

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
  /** Uploads of `sendMedia()`: `wxUploadFile(wx)` or `fetchUpload(fetch, FormData)`. Without it `sendMedia()` throws. */
  upload?: UploadClient;
  /** One upload attempt's limit. Default 120 000 ms (20 MiB on a slow mobile link). */
  uploadTimeoutMs?: number;
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

/** The options with every default filled in: what the parts of a ChatClient are built from. */
export interface ResolvedOptions
  extends Required<Omit<ChatClientOptions, "token" | "getToken" | "backoff" | "syncPageSize" | "upload">> {
  /** The upload port, when the app gave one. */
  upload: UploadClient | undefined;
  /** The app's token source (`getToken`, else the fixed `token`). */
  appToken: () => string | Promise<string>;
  backoff: BackoffOptions;
  /** `syncPageSize`, clamped to 1..MAX_PAGE. */
  syncPageSize: number;
}

/** Fill in the defaults (the one place they live); throws when neither `token` nor `getToken` is given. */
export function resolveOptions(options: ChatClientOptions): ResolvedOptions {
  const { token, getToken } = options;
  if (token === undefined && getToken === undefined) throw new Error("ChatClient needs token or getToken");
  return {
    url: options.url,
    httpBase: options.httpBase,
    transport: options.transport,
    http: options.http,
    upload: options.upload,
    uploadTimeoutMs: options.uploadTimeoutMs ?? 120_000,
    appToken: getToken ?? (() => token as string),
    storage: options.storage ?? memoryStorage(),
    storageKey: options.storageKey ?? "mpchat:outbox",
    now: options.now ?? (() => Date.now()),
    random: options.random ?? Math.random,
    timers: options.timers ?? systemTimers,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    initialHistory: options.initialHistory ?? 50,
    syncPageSize: Math.min(Math.max(options.syncPageSize ?? Limits.DEFAULT_SYNC_LIMIT, 1), Limits.MAX_PAGE),
    maxSendsInFlight: options.maxSendsInFlight ?? 16,
    typingThrottleMs: options.typingThrottleMs ?? 2000,
  };
}
