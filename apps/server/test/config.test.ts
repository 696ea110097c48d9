import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("loadConfig", () => {
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-config-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("defaults to the embedded setup", () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      dataDir,
      databaseUrl: undefined,
      redisUrl: undefined,
      tokenTtlSeconds: 604800,
      devLogin: true,
      wechat: undefined,
      wechatApiBase: "https://api.weixin.qq.com",
      heartbeatMs: 25000,
      logLevel: "info",
      shutdownTimeoutMs: 10000,
      mysqlPoolSize: 10,
      dbTimeoutMs: 5000,
    });
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["DATABASE_URL", "postgres://x"],
    ["REDIS_URL", "http://localhost"],
    ["TOKEN_SECRET", "short"],
    ["TOKEN_TTL_SECONDS", "-5"],
    ["TOKEN_TTL_SECONDS", "1"],
    ["TOKEN_TTL_SECONDS", "0"],
    ["TOKEN_SECRET_PREVIOUS", "short"],
    ["DEV_LOGIN", "yes"],
    ["WEB_CHAT", "yes"],
    ["WEB_CHAT", "true"],
    ["WECHAT_API_BASE", "not a url"],
    ["HEARTBEAT_MS", "1.5"],
    ["LOG_LEVEL", "loud"],
    ["SHUTDOWN_TIMEOUT_MS", "0"],
    ["MYSQL_POOL_SIZE", "0"],
    ["DB_TIMEOUT_MS", "x"],
    ["SEND_RATE_PER_SECOND", "0"],
    ["SEND_BURST", "many"],
    ["LOGIN_RATE_PER_MINUTE", "0"],
    ["LOGIN_RATE_PER_MINUTE", "ten"],
    ["HTTP_RATE_PER_MINUTE", "-1"],
    ["HTTP_RATE_PER_MINUTE", "1e3"],
    ["RECALL_WINDOW_MS", "-1"],
    ["RECALL_WINDOW_MS", "two minutes"],
    ["TRUST_PROXY", "yes"],
    ["TRUST_PROXY", "10.0.0.1; rm -rf"],
    ["TRUST_PROXY", "1234"],
    ["HTTP_REQUEST_TIMEOUT_MS", "0"],
    ["HTTP_CONNECTION_TIMEOUT_MS", "999"],
    ["MAX_CONNECTIONS_PER_USER", "0"],
    ["MAX_UNAUTHENTICATED_PER_ADDRESS", "0"],
    ["TYPING_COALESCE_MS", "-1"],
    ["RECEIPT_COALESCE_MS", "60001"],
    ["MAX_PAGE_BYTES", "100"],
    ["MAX_PAGE_BYTES", String(4 * 1024 * 1024)],
    ["SEND_QUEUE_LIMIT", "0"],
    ["SEND_QUEUE_CONVERSATION_LIMIT", "lots"],
    ["SEND_QUEUE_MAX_WAIT_MS", "99"],
  ])("refuses %s=%j with a message naming it", (name, value) => {
    const env = { DATA_DIR: dataDir, [name]: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });

  it("serves the web chat exactly when dev login is on, unless WEB_CHAT says otherwise", () => {
    const cases: [Record<string, string>, boolean][] = [
      [{}, true],
      [{ DEV_LOGIN: "off" }, false],
      [{ NODE_ENV: "production", TOKEN_SECRET: "s".repeat(32) }, false],
      [{ WECHAT_APPID: "wx1", WECHAT_SECRET: "secret" }, false],
      [{ WEB_CHAT: "off" }, false],
      [{ WEB_CHAT: "on", DEV_LOGIN: "off" }, true],
      [{ WEB_CHAT: "auto", DEV_LOGIN: "on", NODE_ENV: "production", TOKEN_SECRET: "s".repeat(32) }, true],
    ];
    const seen = cases.map(([env]) => loadConfig({ DATA_DIR: dataDir, ...env }).webChat);
    expect(seen).toEqual(cases.map(([, on]) => on));
    expect(loadConfig({ DATA_DIR: dataDir }).webDir).toBe(join(import.meta.dirname, "..", "..", "web", "dist"));
    expect(loadConfig({ DATA_DIR: dataDir, WEB_DIR: "pages" }).webDir).toBe(join(process.cwd(), "pages"));
  });

  it("takes the per-connection send limit from SEND_RATE_PER_SECOND and SEND_BURST", () => {
    const config = loadConfig({ DATA_DIR: dataDir, SEND_RATE_PER_SECOND: "500", SEND_BURST: "1000" });
    expect(config.gateway).toMatchObject({ sendRatePerSecond: 500, sendBurst: 1000 });
    expect(loadConfig({ DATA_DIR: dataDir }).gateway).toMatchObject({ sendRatePerSecond: 20, sendBurst: 60 });
  });

  it("defaults and reads the per-user and per-address limits", () => {
    const defaults = loadConfig({ DATA_DIR: dataDir });
    expect(defaults.httpRateLimit).toEqual({ loginPerMinute: 30, requestsPerMinute: 600 });
    expect(defaults.gateway).toMatchObject({ maxConnectionsPerUser: 10, maxUnauthenticatedPerAddress: 100 });
    expect(defaults.chatLimits).toEqual({
      typingWindowMs: 3000,
      receiptWindowMs: 3000,
      maxPageBytes: 1024 * 1024,
      recallWindowMs: 120_000,
      sendQueue: { limit: 10_000, conversationLimit: 1000, maxWaitMs: 3000 },
    });
    expect(defaults).toMatchObject({
      trustProxy: false,
      httpRequestTimeoutMs: 30_000,
      httpConnectionTimeoutMs: 60_000,
    });
    // The page bound must stay below the slow-consumer bound, or a page could cut its own connection.
    expect(defaults.chatLimits.maxPageBytes).toBeLessThan(defaults.gateway.maxBufferedBytes);
    const set = loadConfig({
      DATA_DIR: dataDir,
      LOGIN_RATE_PER_MINUTE: "5",
      HTTP_RATE_PER_MINUTE: "50",
      MAX_CONNECTIONS_PER_USER: "3",
      MAX_UNAUTHENTICATED_PER_ADDRESS: "7",
      TYPING_COALESCE_MS: "0",
      RECEIPT_COALESCE_MS: "500",
      MAX_PAGE_BYTES: "65536",
      RECALL_WINDOW_MS: "0",
      HTTP_REQUEST_TIMEOUT_MS: "5000",
      HTTP_CONNECTION_TIMEOUT_MS: "7000",
      SEND_QUEUE_LIMIT: "400",
      SEND_QUEUE_CONVERSATION_LIMIT: "40",
      SEND_QUEUE_MAX_WAIT_MS: "1500",
    });
    expect(set.httpRateLimit).toEqual({ loginPerMinute: 5, requestsPerMinute: 50 });
    expect(set.gateway).toMatchObject({ maxConnectionsPerUser: 3, maxUnauthenticatedPerAddress: 7 });
    expect(set.chatLimits).toEqual({
      typingWindowMs: 0,
      receiptWindowMs: 500,
      maxPageBytes: 65536,
      recallWindowMs: 0,
      sendQueue: { limit: 400, conversationLimit: 40, maxWaitMs: 1500 },
    });
    expect(set).toMatchObject({ httpRequestTimeoutMs: 5000, httpConnectionTimeoutMs: 7000 });
  });

  it.each([
    ["off", false],
    ["on", true],
    ["2", 2],
    ["127.0.0.1", "127.0.0.1"],
    ["10.0.0.0/8, 192.168.1.4", "10.0.0.0/8, 192.168.1.4"],
    ["loopback,::1", "loopback,::1"],
  ])("reads TRUST_PROXY=%j as %j", (value, expected) => {
    expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ DATA_DIR: dataDir, HOST: "", PORT: "" })).toMatchObject({ host: "127.0.0.1", port: 3000 });
  });
});
