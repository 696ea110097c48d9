import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withTokenSecret } from "../src/auth/token-secret";
import { ConfigError, loadConfig } from "../src/config";
import { isSecretName, shownValue } from "../src/config-display";

describe("loadConfig: token secret, dev login and WeChat credentials, secrets never printed", () => {
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-config-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
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
