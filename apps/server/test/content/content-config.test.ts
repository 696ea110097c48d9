import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

const base = { DATA_DIR: "/tmp/mpchat-config-test" };
const wechat = { ...base, WECHAT_APPID: "wx1", WECHAT_SECRET: "s" };

describe("CONTENT_CHECK and friends", () => {
  it("defaults to wechat with WeChat credentials, off without, and the documented policies", () => {
    expect(loadConfig(base).content).toEqual({
      mode: "off",
      webhookUrl: undefined,
      wordListPath: undefined,
      review: "allow",
      onError: "retry",
      timeoutMs: 3000,
    });
    expect(loadConfig(wechat).content.mode).toBe("wechat");
    expect(loadConfig({ ...wechat, CONTENT_CHECK: "off" }).content.mode).toBe("off");
  });

  it("reads every variable", () => {
    const content = loadConfig({
      ...base,
      CONTENT_CHECK: "webhook",
      CONTENT_CHECK_WEBHOOK_URL: "http://moderation.internal:8080/check",
      CONTENT_WORDLIST: "words.txt",
      CONTENT_CHECK_REVIEW: "reject",
      CONTENT_CHECK_ON_ERROR: "allow",
      CONTENT_CHECK_TIMEOUT_MS: "750",
    }).content;
    expect(content).toMatchObject({
      mode: "webhook",
      webhookUrl: "http://moderation.internal:8080/check",
      review: "reject",
      onError: "allow",
      timeoutMs: 750,
    });
    expect(content.wordListPath).toMatch(/^\/.*words\.txt$/);
  });

  it.each([
    [{ ...base, CONTENT_CHECK: "wechat" }, /CONTENT_CHECK: wechat needs WECHAT_APPID and WECHAT_SECRET/],
    [{ ...base, CONTENT_CHECK: "webhook" }, /CONTENT_CHECK_WEBHOOK_URL: required when CONTENT_CHECK=webhook/],
    [{ ...wechat, CONTENT_CHECK_WEBHOOK_URL: "https://x.example/check" }, /only used with CONTENT_CHECK=webhook/],
    [{ ...base, CONTENT_CHECK: "yes" }, /CONTENT_CHECK: must be wechat, webhook or off/],
    [{ ...base, CONTENT_CHECK: "webhook", CONTENT_CHECK_WEBHOOK_URL: "ftp://x" }, /CONTENT_CHECK_WEBHOOK_URL/],
    [{ ...base, CONTENT_CHECK_REVIEW: "maybe" }, /CONTENT_CHECK_REVIEW: must be allow or reject/],
    [{ ...base, CONTENT_CHECK_ON_ERROR: "drop" }, /CONTENT_CHECK_ON_ERROR: must be retry or allow/],
    [{ ...base, CONTENT_CHECK_TIMEOUT_MS: "50" }, /CONTENT_CHECK_TIMEOUT_MS: must be at least 100/],
    [{ ...base, CONTENT_CHECK_TIMEOUT_MS: "3s" }, /CONTENT_CHECK_TIMEOUT_MS: must be an integer/],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
