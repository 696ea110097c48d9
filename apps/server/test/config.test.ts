import { mkdtemp, readFile, rm } from "node:fs/promises";
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
    ["WECHAT_API_BASE", "not a url"],
    ["HEARTBEAT_MS", "1.5"],
    ["LOG_LEVEL", "loud"],
    ["SHUTDOWN_TIMEOUT_MS", "0"],
    ["MYSQL_POOL_SIZE", "0"],
    ["DB_TIMEOUT_MS", "x"],
    ["SEND_RATE_PER_SECOND", "0"],
    ["SEND_BURST", "many"],
  ])("refuses %s=%j with a message naming it", (name, value) => {
    const env = { DATA_DIR: dataDir, [name]: value };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });

  it("takes the per-connection send limit from SEND_RATE_PER_SECOND and SEND_BURST", () => {
    const config = loadConfig({ DATA_DIR: dataDir, SEND_RATE_PER_SECOND: "500", SEND_BURST: "1000" });
    expect(config.gateway).toMatchObject({ sendRatePerSecond: 500, sendBurst: 1000 });
    expect(loadConfig({ DATA_DIR: dataDir }).gateway).toMatchObject({ sendRatePerSecond: 20, sendBurst: 60 });
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ DATA_DIR: dataDir, HOST: "", PORT: "" })).toMatchObject({ host: "127.0.0.1", port: 3000 });
  });

  it("generates a token secret once and keeps it in DATA_DIR", async () => {
    const first = loadConfig({ DATA_DIR: dataDir }).tokenSecret;
    const second = loadConfig({ DATA_DIR: dataDir }).tokenSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect((await readFile(join(dataDir, "token-secret"), "utf8")).trim()).toBe(first);
  });

  it("uses TOKEN_SECRET when set and requires it in production", () => {
    const secret = "s".repeat(40);
    expect(loadConfig({ DATA_DIR: dataDir, TOKEN_SECRET: secret }).tokenSecret).toBe(secret);
    expect(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: "production" })).toThrow(/TOKEN_SECRET: required/);
  });

  it("turns dev login off when WeChat credentials are set, unless DEV_LOGIN=on", () => {
    const wechat = { DATA_DIR: dataDir, WECHAT_APPID: "wx123", WECHAT_SECRET: "sec" };
    expect(loadConfig(wechat).devLogin).toBe(false);
    expect(loadConfig({ ...wechat, DEV_LOGIN: "on" }).devLogin).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir, DEV_LOGIN: "off" }).devLogin).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir, DEV_LOGIN: "auto" }).devLogin).toBe(true);
  });

  it("accepts TOKEN_TTL_SECONDS from 2", () => {
    expect(loadConfig({ DATA_DIR: dataDir, TOKEN_TTL_SECONDS: "2" }).tokenTtlSeconds).toBe(2);
  });

  it("never prints a secret's value, not even a wrong one", () => {
    for (const name of ["TOKEN_SECRET", "TOKEN_SECRET_PREVIOUS"]) {
      const env = { DATA_DIR: dataDir, TOKEN_SECRET: "s".repeat(40), [name]: "hunter2-too-short" };
      expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
      expect(() => loadConfig(env)).not.toThrow(/hunter2/);
    }
  });

  it("refuses REDIS_URL without TOKEN_SECRET, saying why", () => {
    const env = { DATA_DIR: dataDir, REDIS_URL: "redis://127.0.0.1:6379" };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/TOKEN_SECRET: required when REDIS_URL is set/);
    expect(() => loadConfig(env)).toThrow(/refuse the others' tokens/);
    expect(loadConfig({ ...env, TOKEN_SECRET: "s".repeat(40) }).redisUrl).toBe(env.REDIS_URL);
  });

  it("takes TOKEN_SECRET_PREVIOUS only beside a different TOKEN_SECRET", () => {
    const old = "o".repeat(40);
    expect(() => loadConfig({ DATA_DIR: dataDir, TOKEN_SECRET_PREVIOUS: old })).toThrow(/TOKEN_SECRET_PREVIOUS: /);
    expect(() => loadConfig({ DATA_DIR: dataDir, TOKEN_SECRET: old, TOKEN_SECRET_PREVIOUS: old })).toThrow(
      /TOKEN_SECRET_PREVIOUS: /,
    );
    const config = loadConfig({ DATA_DIR: dataDir, TOKEN_SECRET: "n".repeat(40), TOKEN_SECRET_PREVIOUS: old });
    expect(config.tokenSecretPrevious).toBe(old);
  });

  it("turns dev login off with NODE_ENV=production unless DEV_LOGIN=on", () => {
    const production = { DATA_DIR: dataDir, NODE_ENV: "production", TOKEN_SECRET: "s".repeat(40) };
    expect(loadConfig(production).devLogin).toBe(false);
    expect(loadConfig({ ...production, DEV_LOGIN: "auto" }).devLogin).toBe(false);
    expect(loadConfig({ ...production, DEV_LOGIN: "off" }).devLogin).toBe(false);
    expect(loadConfig({ ...production, DEV_LOGIN: "on" }).devLogin).toBe(true);
  });

  it("refuses half of the WeChat credentials", () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, WECHAT_APPID: "wx123" })).toThrow(/WECHAT_SECRET: required/);
    expect(() => loadConfig({ DATA_DIR: dataDir, WECHAT_SECRET: "s" })).toThrow(/WECHAT_APPID: required/);
  });
});
