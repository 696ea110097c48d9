import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import type { ChatLimits } from "./chat/limits";
import { DEFAULT_SEND_QUEUE_LIMITS } from "./chat/send-admission";
import { loopbackOrHttps, shownValue } from "./config-display";
import { int, trustProxy, url } from "./config-fields";
import { type ContentConfig, ContentEnvSchema, contentConfigOf } from "./content/content-config";
import { DEFAULT_GATEWAY_LIMITS, type GatewayLimits } from "./gateway/limits";
import { type MediaConfig, MediaEnvSchema, mediaConfigOf } from "./media/media-config";
import { type NoticeConfig, NoticeEnvSchema, noticeConfigOf } from "./notices/notice-config";

/**
 * The server's configuration: environment variables → a typed, validated object.
 * The defaults are the embedded setup (SQLite under ./data, in-process bus, dev
 * login on), so that `pnpm start` works on a fresh clone.
 */

/** apps/web/dist beside this package (src/ → apps/server → apps). */
const DEFAULT_WEB_DIR = fileURLToPath(new URL("../../web/dist", import.meta.url));

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  nodeEnv: string;
  port: number;
  host: string;
  /** Absolute path of the data folder (SQLite file, generated token secret). */
  dataDir: string;
  /** Unset → SQLite file in dataDir; `file:` → SQLite; `mysql://` → MySQL. */
  databaseUrl: string | undefined;
  /** Unset → in-process bus. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so that several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** With Redis: an instance that stops refreshing its heartbeat for this long is swept (its users go offline). */
  presenceTtlMs: number;
  tokenSecret: string;
  /** The secret before the last rotation: its tokens are still accepted, never issued. */
  tokenSecretPrevious: string | undefined;
  tokenTtlSeconds: number;
  /** The operators' bearer token for /v1/admin/* and the console at /admin/ (ADMIN_TOKEN); unset: both do not exist (404). */
  adminToken: string | undefined;
  devLogin: boolean;
  /** The web chat (apps/web/dist) served at `/`: WEB_CHAT, on by default exactly when dev login is (it logs in with it). */
  webChat: boolean;
  /** Folder of the built web pages (WEB_DIR; default the repository's apps/web/dist). */
  webDir: string;
  wechat: { appId: string; secret: string } | undefined;
  wechatApiBase: string;
  wechatTimeoutMs: number;
  /** PUBLIC_BASE_URL without a trailing slash; the media check needs it. */
  publicBaseUrl: string | undefined;
  /** The message push URL's Token and EncodingAESKey (WECHAT_PUSH_*); absent: no `/v1/wechat/events`. */
  wechatPush: { token: string; aesKey: string | undefined } | undefined;
  heartbeatMs: number;
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  mysqlPoolSize: number;
  dbTimeoutMs: number;
  /** Largest HTTP request body in bytes; bigger ones get 413 too_large. */
  httpBodyLimit: number;
  gateway: GatewayLimits;
  /** HTTP rate limits per minute (Redis-backed when REDIS_URL is set): logins per client address, authenticated requests per user. */
  httpRateLimit: { loginPerMinute: number; requestsPerMinute: number };
  /** Fastify's trustProxy: false, true, a hop count, or a comma-separated list of proxy addresses/CIDRs. */
  trustProxy: boolean | number | string;
  /** Node's requestTimeout (whole request received) and the socket inactivity timeout of HTTP connections. */
  httpRequestTimeoutMs: number;
  httpConnectionTimeoutMs: number;
  /** Pushes coalesced per (user, conversation), the byte bound of a sync/history page, the send queue's bounds. */
  chatLimits: ChatLimits;
  /** Where media bytes live (MEDIA_STORE, MEDIA_DIR, S3_*) and how often unreferenced media is collected. */
  media: MediaConfig;
  /** The content checks run before user-written text is stored (CONTENT_CHECK*, CONTENT_WORDLIST). */
  content: ContentConfig;
  /** Offline notices (WECHAT_NOTICE_*); undefined: off. */
  notices: NoticeConfig | undefined;
}

/**
 * The environment mapped, nothing else: `tokenSecret` is TOKEN_SECRET or
 * undefined. The caller (main.ts, a test) resolves a missing one with
 * `withTokenSecret` (auth/token-secret.ts), which reads or creates
 * DATA_DIR/token-secret, so that loading a config touches no file.
 */
export type ParsedConfig = Omit<Config, "tokenSecret"> & { tokenSecret: string | undefined };

/** A setting that stops the start; the message names the variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const EnvSchema = v.object({
  NODE_ENV: v.optional(v.string(), "development"),
  PORT: v.optional(int(0, 65535), "3000"),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), "127.0.0.1"),
  DATA_DIR: v.optional(v.string(), "./data"),
  DATABASE_URL: v.optional(
    v.pipe(
      v.string(),
      v.check((value) => /^(file:|mysql:\/\/)/.test(value), "must start with file: or mysql://"),
    ),
  ),
  REDIS_URL: v.optional(url(["redis://", "rediss://"])),
  REDIS_PREFIX: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9:_.-]{1,64}$/, "must be 1 to 64 of A-Z a-z 0-9 : _ . -")),
    "mpchat:",
  ),
  PRESENCE_TTL_MS: v.optional(int(1000, 600_000), "10000"),
  TOKEN_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, "must be at least 32 characters"))),
  TOKEN_SECRET_PREVIOUS: v.optional(v.pipe(v.string(), v.minLength(32, "must be at least 32 characters"))),
  TOKEN_TTL_SECONDS: v.optional(int(2, 31_536_000), "604800"),
  ADMIN_TOKEN: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"))),
  DEV_LOGIN: v.optional(v.picklist(["auto", "on", "off"], "must be auto, on or off"), "auto"),
  WEB_CHAT: v.optional(v.picklist(["auto", "on", "off"], "must be auto, on or off"), "auto"),
  WEB_DIR: v.optional(v.pipe(v.string(), v.minLength(1))),
  WECHAT_APPID: v.optional(v.string()),
  WECHAT_SECRET: v.optional(v.string()),
  // The app secret travels in this URL's query: https, except to a test fake on loopback.
  WECHAT_API_BASE: v.optional(
    v.pipe(
      url(["http://", "https://"]),
      v.check(loopbackOrHttps, "must be https (http only on 127.0.0.1, localhost, [::1])"),
    ),
    "https://api.weixin.qq.com",
  ),
  WECHAT_TIMEOUT_MS: v.optional(int(100, 60_000), "5000"),
  // Where the internet reaches this server (WeChat's media check fetches media from it).
  PUBLIC_BASE_URL: v.optional(url(["http://", "https://"])),
  // The mini program's message push (WeChat admin console): its Token and EncodingAESKey.
  WECHAT_PUSH_TOKEN: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{3,32}$/, "must be 3 to 32 letters or digits")),
  ),
  WECHAT_PUSH_AES_KEY: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{43}$/, "must be the 43 letters and digits of the EncodingAESKey")),
  ),
  HEARTBEAT_MS: v.optional(int(1000, 600_000), "25000"),
  // Per-connection send limit (token bucket). Defaults in gateway/limits.ts.
  SEND_RATE_PER_SECOND: v.optional(int(1, 100_000)),
  SEND_BURST: v.optional(int(1, 100_000)),
  LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(", ")}`), "info"),
  SHUTDOWN_TIMEOUT_MS: v.optional(int(100, 600_000), "10000"),
  MYSQL_POOL_SIZE: v.optional(int(1, 1000), "10"),
  DB_TIMEOUT_MS: v.optional(int(100, 600_000), "5000"),
  LOGIN_RATE_PER_MINUTE: v.optional(int(1, 1_000_000), "30"),
  HTTP_RATE_PER_MINUTE: v.optional(int(1, 10_000_000), "600"),
  TRUST_PROXY: v.optional(trustProxy, "off"),
  HTTP_REQUEST_TIMEOUT_MS: v.optional(int(1000, 600_000), "30000"),
  HTTP_CONNECTION_TIMEOUT_MS: v.optional(int(1000, 600_000), "60000"),
  MAX_CONNECTIONS_PER_USER: v.optional(int(1, 10_000), "10"),
  MAX_UNAUTHENTICATED_PER_ADDRESS: v.optional(int(1, 1_000_000), "100"),
  TYPING_COALESCE_MS: v.optional(int(0, 60_000), "3000"),
  RECEIPT_COALESCE_MS: v.optional(int(0, 60_000), "3000"),
  // At most half the slow-consumer bound (4 MiB), so that one page can never trip it.
  MAX_PAGE_BYTES: v.optional(int(1024, 2 * 1024 * 1024), String(1024 * 1024)),
  // From 0 (only owner and admins recall) to a year.
  RECALL_WINDOW_MS: v.optional(int(0, 365 * 24 * 60 * 60 * 1000), "120000"),
  // Admission control of sends (chat/send-admission.ts): beyond these, a send is refused with `unavailable`.
  SEND_QUEUE_LIMIT: v.optional(int(1, 10_000_000), String(DEFAULT_SEND_QUEUE_LIMITS.limit)),
  SEND_QUEUE_CONVERSATION_LIMIT: v.optional(int(1, 10_000_000), String(DEFAULT_SEND_QUEUE_LIMITS.conversationLimit)),
  SEND_QUEUE_MAX_WAIT_MS: v.optional(int(100, 600_000), String(DEFAULT_SEND_QUEUE_LIMITS.maxWaitMs)),
  ...MediaEnvSchema.entries,
  ...ContentEnvSchema.entries,
  ...NoticeEnvSchema.entries,
});

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .map((issue) => {
      const name = issue.path?.map((item) => String(item.key)).join(".");
      // Without a path the input is the whole environment, secrets included: never shown.
      if (!name) return `environment: ${issue.message}`;
      return `${name}: ${issue.message} (got ${shownValue(name, issue.input)})`;
    })
    .join("\n");
}

/** Reads the configuration from `env` (and nothing else); throws ConfigError naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ParsedConfig {
  // An empty variable counts as unset (`FOO= pnpm start`).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = v.safeParse(EnvSchema, present);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${describe(parsed.issues)}`);
  const e = parsed.output;

  if (Boolean(e.WECHAT_APPID) !== Boolean(e.WECHAT_SECRET)) {
    const missing = e.WECHAT_APPID ? "WECHAT_SECRET" : "WECHAT_APPID";
    throw new ConfigError(`Invalid configuration:\n${missing}: required when the other WeChat credential is set`);
  }
  const wechat = e.WECHAT_APPID && e.WECHAT_SECRET ? { appId: e.WECHAT_APPID, secret: e.WECHAT_SECRET } : undefined;
  const production = e.NODE_ENV === "production";
  if (production && !e.TOKEN_SECRET) {
    throw new ConfigError("Invalid configuration:\nTOKEN_SECRET: required when NODE_ENV=production");
  }
  if (e.REDIS_URL && !e.TOKEN_SECRET) {
    throw new ConfigError(
      "Invalid configuration:\nTOKEN_SECRET: required when REDIS_URL is set (several instances must share one " +
        "secret; each would otherwise generate its own and refuse the others' tokens)",
    );
  }
  if (e.TOKEN_SECRET_PREVIOUS && (!e.TOKEN_SECRET || e.TOKEN_SECRET_PREVIOUS === e.TOKEN_SECRET)) {
    throw new ConfigError(
      "Invalid configuration:\nTOKEN_SECRET_PREVIOUS: needs a TOKEN_SECRET that differs from it (the new secret)",
    );
  }
  // auto: on only while no WeChat credentials are configured and not in
  // production, so that a deployment cannot leave it on by accident.
  const devLogin = e.DEV_LOGIN === "on" || (e.DEV_LOGIN === "auto" && wechat === undefined && !production);
  if (e.WECHAT_PUSH_AES_KEY && !e.WECHAT_PUSH_TOKEN) {
    throw new ConfigError("Invalid configuration:\nWECHAT_PUSH_AES_KEY: needs WECHAT_PUSH_TOKEN (the push's Token)");
  }
  if (e.WECHAT_PUSH_TOKEN && !wechat) {
    throw new ConfigError(
      "Invalid configuration:\nWECHAT_PUSH_TOKEN: needs WECHAT_APPID and WECHAT_SECRET (the pushes are the mini program's)",
    );
  }
  const media = mediaConfigOf(e, (message) => new ConfigError(`Invalid configuration:\n${message}`));
  const content = contentConfigOf(
    e,
    wechat !== undefined,
    (message) => new ConfigError(`Invalid configuration:\n${message}`),
  );
  const notices = noticeConfigOf(
    e,
    wechat !== undefined,
    (message) => new ConfigError(`Invalid configuration:\n${message}`),
  );
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    presenceTtlMs: e.PRESENCE_TTL_MS,
    tokenSecret: e.TOKEN_SECRET,
    tokenSecretPrevious: e.TOKEN_SECRET_PREVIOUS,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    adminToken: e.ADMIN_TOKEN,
    devLogin,
    webChat: e.WEB_CHAT === "on" || (e.WEB_CHAT === "auto" && devLogin),
    webDir: e.WEB_DIR ? path.resolve(e.WEB_DIR) : DEFAULT_WEB_DIR,
    wechat,
    wechatApiBase: e.WECHAT_API_BASE.replace(/\/+$/, ""),
    wechatTimeoutMs: e.WECHAT_TIMEOUT_MS,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ""),
    wechatPush: e.WECHAT_PUSH_TOKEN ? { token: e.WECHAT_PUSH_TOKEN, aesKey: e.WECHAT_PUSH_AES_KEY } : undefined,
    heartbeatMs: e.HEARTBEAT_MS,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    mysqlPoolSize: e.MYSQL_POOL_SIZE,
    dbTimeoutMs: e.DB_TIMEOUT_MS,
    httpBodyLimit: 256 * 1024,
    gateway: {
      ...DEFAULT_GATEWAY_LIMITS,
      sendRatePerSecond: e.SEND_RATE_PER_SECOND ?? DEFAULT_GATEWAY_LIMITS.sendRatePerSecond,
      sendBurst: e.SEND_BURST ?? DEFAULT_GATEWAY_LIMITS.sendBurst,
      maxConnectionsPerUser: e.MAX_CONNECTIONS_PER_USER,
      maxUnauthenticatedPerAddress: e.MAX_UNAUTHENTICATED_PER_ADDRESS,
    },
    httpRateLimit: { loginPerMinute: e.LOGIN_RATE_PER_MINUTE, requestsPerMinute: e.HTTP_RATE_PER_MINUTE },
    trustProxy: e.TRUST_PROXY,
    httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
    httpConnectionTimeoutMs: e.HTTP_CONNECTION_TIMEOUT_MS,
    chatLimits: {
      typingWindowMs: e.TYPING_COALESCE_MS,
      receiptWindowMs: e.RECEIPT_COALESCE_MS,
      maxPageBytes: e.MAX_PAGE_BYTES,
      recallWindowMs: e.RECALL_WINDOW_MS,
      sendQueue: {
        limit: e.SEND_QUEUE_LIMIT,
        conversationLimit: e.SEND_QUEUE_CONVERSATION_LIMIT,
        maxWaitMs: e.SEND_QUEUE_MAX_WAIT_MS,
      },
    },
    media,
    content,
    notices,
  };
}
