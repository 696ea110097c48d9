import { startTestServer, type TestServer } from "@mpchat/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { FakeWeChat } from "./support/fake-wechat";
import { openList } from "./support/flows";
import { SimulatedApp } from "./support/simulated-app";
import { WxShim } from "./support/wx-shim";

/**
 * The login page's WeChat login, end to end: wx.login (the shim hands out codes the fake WeChat
 * issued) → POST /v1/auth/wechat on the real server → code2Session on the fake WeChat at
 * WECHAT_API_BASE. With WeChat configured, dev login is off, and the page does not offer it.
 */
describe("WeChat login against a fake code2Session", () => {
  let wechat: FakeWeChat;
  let server: TestServer;
  const apps: SimulatedApp[] = [];

  beforeAll(async () => {
    wechat = await FakeWeChat.start();
    server = await startTestServer({
      config: {
        wechat: { appId: wechat.appId, secret: wechat.secret },
        wechatApiBase: wechat.baseUrl,
        devLogin: false,
      },
    });
  });

  afterAll(async () => {
    for (const app of apps) app.shutdown();
    await server?.close();
    await wechat?.close();
  });

  /** A fresh phone showing the login page, once it knows whether dev login exists. */
  async function loginPage() {
    const app = SimulatedApp.launch(`phone-${apps.length + 1}`, new WxShim({ serverUrl: server.httpUrl }));
    apps.push(app);
    const page = app.open("login");
    await waitUntil("dev login probe answered", () => app.wx.responses.length > 0);
    return { app, page };
  }

  it("logs in with a good code: our token is stored, WeChat's session key is not, and the chat connects", async () => {
    const { app, page } = await loginPage();
    expect(page.data.devAvailable).toBe(false);
    expect(page.byClass("dev")).toHaveLength(0);

    app.wx.loginCodes.push(wechat.issueCode("oAlice-openid_1"));
    await page.call("onWechatLogin");
    expect(page.data.error).toBe("");
    expect(page.data.loggedInAs).toBe("wx_oAlice-openid_1");
    // A new WeChat user has no name yet: the app asks for one first (profile.test.ts).
    expect(app.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe("/pages/profile/profile?setup=1");

    const saved = JSON.parse(String(app.wx.storage.get("mpchat:session")));
    expect(saved.user.id).toBe("wx_oAlice-openid_1");
    expect(typeof saved.token).toBe("string");
    const list = await openList(app);
    expect(list.data.me).toBe("wx_oAlice-openid_1");
  });

  it("shows WeChat's reason for an invalid code (40029) and a reused one (40163)", async () => {
    const { app, page } = await loginPage();
    app.wx.loginCodes.push("made-up-code");
    await page.call("onWechatLogin");
    expect(page.data.loggedInAs).toBe("");
    expect(page.data.error).toBe("登录凭证无效，请重新登录");
    expect(page.byClass("login-error").map((el) => el.textContent)).toEqual(["登录凭证无效，请重新登录"]);

    const code = wechat.issueCode("oBob-openid");
    app.wx.loginCodes.push(code);
    await page.call("onWechatLogin");
    expect(page.data.loggedInAs).toBe("wx_oBob-openid");

    // The same code again, from another phone: WeChat says it was used.
    const second = await loginPage();
    second.app.wx.loginCodes.push(code);
    await second.page.call("onWechatLogin");
    expect(second.page.data.loggedInAs).toBe("");
    expect(second.page.data.error).toBe("登录凭证已被使用，请重新登录");
    expect(second.app.wx.storage.has("mpchat:session")).toBe(false);
  });

  it("never lets session_key reach the app", () => {
    expect(wechat.sessionKeys.length).toBeGreaterThanOrEqual(2);
    const everything = apps.flatMap((app) => [...app.wx.responses, ...[...app.wx.storage.values()].map(String)]);
    expect(everything.length).toBeGreaterThan(apps.length);
    for (const text of everything) {
      expect(text).not.toMatch(/session_?key/i);
      for (const key of wechat.sessionKeys) expect(text).not.toContain(key);
    }
  });
});
