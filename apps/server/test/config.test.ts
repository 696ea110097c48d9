import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withTokenSecret } from "../src/auth/token-secret";
import { ConfigError, loadConfig } from "../src/config";
import { isSecretName, shownValue } from "../src/config-display";

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
    ["LOGIN_RATE_PER_MINUTE", "0"],
    ["LOGIN_RATE_PER_MINUTE", "ten"],
    ["HTTP_RATE_PER_MINUTE", "-1"],
    ["HTTP_RATE_PER_MINUTE", "1e3"],
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

  it("defaults and reads the per-user and per-address limits", () => {
    const defaults = loadConfig({ DATA_DIR: dataDir });
    expect(defaults.httpRateLimit).toEqual({ loginPerMinute: 30, requestsPerMinute: 600 });
    expect(defaults.gateway).toMatchObject({ maxConnectionsPerUser: 10, maxUnauthenticatedPerAddress: 100 });
    expect(defaults.chatLimits).toEqual({ typingWindowMs: 3000, receiptWindowMs: 3000, maxPageBytes: 1024 * 1024 });
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
      HTTP_REQUEST_TIMEOUT_MS: "5000",
      HTTP_CONNECTION_TIMEOUT_MS: "7000",
    });
    expect(set.httpRateLimit).toEqual({ loginPerMinute: 5, requestsPerMinute: 50 });
    expect(set.gateway).toMatchObject({ maxConnectionsPerUser: 3, maxUnauthenticatedPerAddress: 7 });
    expect(set.chatLimits).toEqual({ typingWindowMs: 0, receiptWindowMs: 500, maxPageBytes: 65536 });
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

  it("reads the environment only: no token secret generated, no file written", async () => {
    expect(loadConfig({ DATA_DIR: dataDir }).tokenSecret).toBeUndefined();
    expect(await readdir(dataDir)).toEqual([]);
  });

  it("generates a token secret once and keeps it in DATA_DIR", async () => {
    const first = withTokenSecret(loadConfig({ DATA_DIR: dataDir })).tokenSecret;
    const second = withTokenSecret(loadConfig({ DATA_DIR: dataDir })).tokenSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    expect((await readFile(join(dataDir, "token-secret"), "utf8")).trim()).toBe(first);
  });

  it("uses TOKEN_SECRET when set and requires it in production", () => {
    const secret = "s".repeat(40);
    expect(loadConfig({ DATA_DIR: dataDir, TOKEN_SECRET: secret }).tokenSecret).toBe(secret);
    expect(withTokenSecret(loadConfig({ DATA_DIR: dataDir, TOKEN_SECRET: secret })).tokenSecret).toBe(secret);
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
    expect(loadConfig({ ...env, TOKEN_SECRET: "s".repeat(40), MEDIA_DIR: dataDir }).redisUrl).toBe(env.REDIS_URL);
  });

  it("keeps media under DATA_DIR/media by default, or MEDIA_DIR", () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.media).toEqual({ store: { kind: "local", dir: undefined }, gcIntervalMs: 3_600_000 });
    expect(loadConfig({ DATA_DIR: dataDir, MEDIA_DIR: "./m", MEDIA_GC_INTERVAL_MS: "1000" }).media).toEqual({
      store: { kind: "local", dir: resolve("./m") },
      gcIntervalMs: 1000,
    });
  });

  it("refuses MEDIA_STORE=local with REDIS_URL unless MEDIA_DIR is set, saying why", () => {
    const env = { DATA_DIR: dataDir, REDIS_URL: "redis://127.0.0.1:6379", TOKEN_SECRET: "s".repeat(40) };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/MEDIA_DIR: required with MEDIA_STORE=local when REDIS_URL is set/);
    expect(() => loadConfig(env)).toThrow(/MEDIA_STORE=s3/);
    expect(loadConfig({ ...env, MEDIA_DIR: "/shared/media" }).media.store).toEqual({
      kind: "local",
      dir: "/shared/media",
    });
  });

  it("takes MEDIA_STORE=s3 with every S3 setting, names each missing one, and never prints the secret key", () => {
    const s3 = {
      DATA_DIR: dataDir,
      MEDIA_STORE: "s3",
      S3_ENDPOINT: "https://cos.ap-shanghai.myqcloud.com",
      S3_BUCKET: "mpchat-media",
      S3_REGION: "ap-shanghai",
      S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
      S3_SECRET_ACCESS_KEY: "very-secret-key-value",
    };
    expect(
      loadConfig({ ...s3, REDIS_URL: "redis://127.0.0.1:6379", TOKEN_SECRET: "s".repeat(40) }).media.store,
    ).toEqual({
      kind: "s3",
      endpoint: s3.S3_ENDPOINT,
      bucket: "mpchat-media",
      region: "ap-shanghai",
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "very-secret-key-value",
      forcePathStyle: true,
    });
    for (const name of ["S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      const { [name]: _dropped, ...rest } = s3;
      expect(() => loadConfig(rest), name).toThrow(new RegExp(`${name}: required when MEDIA_STORE=s3`));
    }
    const bad: [string, string][] = [
      ["MEDIA_STORE", "gcs"],
      ["S3_ENDPOINT", "ftp://x"],
      ["S3_BUCKET", "Bad_Bucket"],
      ["S3_REGION", "ap shanghai"],
      ["MEDIA_GC_INTERVAL_MS", "10"],
      ["S3_FORCE_PATH_STYLE", "yes"],
    ];
    for (const [name, value] of bad) {
      expect(() => loadConfig({ ...s3, [name]: value }), name).toThrow(new RegExp(`${name}: `));
    }
    // A secret key in a wrong place (too short to be one, say) is still never shown.
    expect(() => loadConfig({ ...s3, S3_BUCKET: "x" })).not.toThrow(/very-secret-key-value/);
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

  /** The message of the ConfigError that loading `env` throws. */
  const refusal = (env: Record<string, string>): string => {
    try {
      loadConfig({ DATA_DIR: dataDir, ...env });
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  };

  it("never prints the value of a too-short TOKEN_SECRET", () => {
    const message = refusal({ TOKEN_SECRET: "hunter2-too-short" });
    expect(message).toContain("TOKEN_SECRET: must be at least 32 characters");
    expect(message).not.toContain("hunter2");
  });

  it.each([
    "TOKEN_SECRET",
    "TOKEN_SECRET_PREVIOUS",
    "WECHAT_SECRET",
    "WECHAT_PUSH_AES_KEY",
    "SOME_FUTURE_SECRET",
    "AN_API_TOKEN",
    "MYSQL_PASSWORD",
  ])("hides by name the value of %s (variables added later included)", (name) => {
    expect(isSecretName(name)).toBe(true);
    expect(shownValue(name, "hunter2")).not.toContain("hunter2");
  });

  it.each(["TOKEN_TTL_SECONDS", "PORT", "REDIS_PREFIX", "WECHAT_APPID", "KEYBOARD", "LOG_LEVEL"])(
    "shows the value of %s, which is not secret",
    (name) => {
      expect(isSecretName(name)).toBe(false);
      expect(shownValue(name, "plain")).toBe('"plain"');
    },
  );

  it.each([
    ["DATABASE_URL", "postgres://mpchat:hunter2@db:5432/chat"],
    ["DATABASE_URL", "mysql:mpchat:hunter2@db/chat"],
    ["REDIS_URL", "http://:hunter2@redis:6379"],
    ["REDIS_URL", "redis//default:hunter2@redis:6379"],
    ["REDIS_URL", "unix:///tmp/redis.sock?password=hunter2"],
  ])("names %s but hides the password in %j", (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toContain(`${name}: `);
    expect(message).not.toContain("hunter2");
  });

  it("still shows the value of a variable that is not secret", () => {
    expect(refusal({ PORT: "seventy" })).toContain('"seventy"');
    expect(refusal({ TOKEN_TTL_SECONDS: "forever" })).toContain('"forever"');
  });

  it.each([
    "http://api.weixin.qq.com",
    "http://10.0.0.5:8080",
    "http://127.0.0.1.evil.example",
    "http://localhost.evil.example",
    "ftp://127.0.0.1",
  ])("refuses WECHAT_API_BASE=%s: https only, except on loopback", (value) => {
    expect(refusal({ WECHAT_API_BASE: value })).toMatch(/WECHAT_API_BASE: must be https/);
  });

  it.each([
    "https://api.weixin.qq.com",
    "https://wechat-proxy.internal:8443/",
    "http://127.0.0.1:43121",
    "http://localhost:3000",
    "http://[::1]:3000",
  ])("accepts WECHAT_API_BASE=%s", (value) => {
    expect(loadConfig({ DATA_DIR: dataDir, WECHAT_API_BASE: value }).wechatApiBase).toBe(value.replace(/\/+$/, ""));
  });
});
