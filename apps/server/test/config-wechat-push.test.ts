import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

const WECHAT = { WECHAT_APPID: "wxapp", WECHAT_SECRET: "appsecret" };
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

describe("PUBLIC_BASE_URL, WECHAT_PUSH_TOKEN, WECHAT_PUSH_AES_KEY", () => {
  it("reads them (no trailing slash kept) and leaves them unset by default", () => {
    expect(loadConfig({})).toMatchObject({ publicBaseUrl: undefined, wechatPush: undefined });
    const set = loadConfig({
      ...WECHAT,
      PUBLIC_BASE_URL: "https://chat.example.com/",
      WECHAT_PUSH_TOKEN: "pushToken123",
      WECHAT_PUSH_AES_KEY: AES_KEY,
    });
    expect(set.publicBaseUrl).toBe("https://chat.example.com");
    expect(set.wechatPush).toEqual({ token: "pushToken123", aesKey: AES_KEY });
    expect(loadConfig({ ...WECHAT, WECHAT_PUSH_TOKEN: "abc" }).wechatPush).toEqual({ token: "abc", aesKey: undefined });
  });

  it.each([
    ["PUBLIC_BASE_URL", { PUBLIC_BASE_URL: "chat.example.com" }],
    ["PUBLIC_BASE_URL", { PUBLIC_BASE_URL: "ftp://chat.example.com" }],
    ["WECHAT_PUSH_TOKEN", { ...WECHAT, WECHAT_PUSH_TOKEN: "ab" }],
    ["WECHAT_PUSH_TOKEN", { ...WECHAT, WECHAT_PUSH_TOKEN: "has space" }],
    ["WECHAT_PUSH_TOKEN", { ...WECHAT, WECHAT_PUSH_TOKEN: "x".repeat(33) }],
    ["WECHAT_PUSH_TOKEN", { WECHAT_PUSH_TOKEN: "pushToken123" }],
    ["WECHAT_PUSH_AES_KEY", { ...WECHAT, WECHAT_PUSH_TOKEN: "pushToken123", WECHAT_PUSH_AES_KEY: AES_KEY.slice(1) }],
    [
      "WECHAT_PUSH_AES_KEY",
      { ...WECHAT, WECHAT_PUSH_TOKEN: "pushToken123", WECHAT_PUSH_AES_KEY: `${AES_KEY.slice(1)}=` },
    ],
    ["WECHAT_PUSH_AES_KEY", { ...WECHAT, WECHAT_PUSH_AES_KEY: AES_KEY }],
  ])("refuses a bad %s with a message naming it", (name, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });
});
