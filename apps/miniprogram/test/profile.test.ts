import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../server/test/support/server";
import { waitUntil } from "./support/activity";
import { FakeWeChat } from "./support/fake-wechat";
import { openList } from "./support/flows";
import { SimulatedApp, type SimulatedPage } from "./support/simulated-app";
import { WxShim } from "./support/wx-shim";

/**
 * Profile set-up after a first WeChat login: the nickname (read on form submit) goes to PATCH
 * /v1/me; the avatar goes through our privacy popup, wx.uploadFile and PATCH /v1/me. The upload
 * route is not on this server yet, so the shim answers the upload the way POST /v1/media will,
 * after storing the media record the server would (so the PATCH's own checks run for real).
 */
describe("profile set-up after WeChat login", () => {
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

  /** A fresh phone logged in with WeChat as `openid`; returns it and the page it was sent to. */
  async function wechatLogin(openid: string): Promise<{ app: SimulatedApp; userId: string; landing: string }> {
    const app = SimulatedApp.launch(openid, new WxShim({ serverUrl: server.httpUrl }));
    apps.push(app);
    const login = app.open("login");
    await waitUntil("dev login probe answered", () => app.wx.responses.length > 0);
    app.wx.loginCodes.push(wechat.issueCode(openid));
    await login.call("onWechatLogin");
    expect(login.data.error).toBe("");
    app.close(login);
    const userId = `wx_${openid}`;
    const landing = String(app.wx.uiCallsOf("reLaunch").at(-1)?.option.url);
    // Uploads are answered as POST /v1/media will answer them, with a real media record behind.
    app.wx.uploadHandler = async (call) => {
      const id = `m${apps.length}${call.formData.clientMediaId?.replace(/[^a-z0-9]/g, "")}`;
      await server.store.createMedia({
        id,
        uploaderId: userId,
        clientMediaId: call.formData.clientMediaId ?? "",
        kind: "image",
        mime: "image/jpeg",
        size: 1000,
        width: 132,
        height: 132,
        storageKey: `media/${id}`,
        createdAt: Date.now(),
      });
      return {
        statusCode: 201,
        data: JSON.stringify({ media: { id, kind: "image", mime: "image/jpeg", size: 1000 } }),
      };
    };
    return { app, userId, landing };
  }

  const submit = (page: SimulatedPage, nickname: string) => page.call("onSubmit", { detail: { value: { nickname } } });

  /** WeChat's chooseAvatar: the privacy check first, then (agreed) the temporary path to the page. */
  async function chooseAvatar(app: SimulatedApp, page: SimulatedPage): Promise<string> {
    const answer = app.wx.needPrivacy();
    // WeChat waits for our popup: the page shows it and the test taps a button.
    await waitUntil("privacy popup shown", () => page.data.privacyShown === true || app.wx.privacyAgreed);
    return (await answer).event;
  }

  it("a new user lands on the set-up page; the nickname submitted is saved and shown as the name", async () => {
    const { app, userId, landing } = await wechatLogin("oNew-user_1");
    expect(landing).toBe("/pages/profile/profile?setup=1");
    const page = app.open("profile", { setup: "1" });
    expect(page.data.setup).toBe(true);
    // The server's placeholder is not offered as a name.
    expect(page.data.name).toBe("");

    await submit(page, "   ");
    expect(page.data.error).toBe("请填写昵称");
    expect((await server.store.getUser(userId))?.name).toBe("WeChat user");

    await submit(page, "小明");
    expect(page.data.error).toBe("");
    expect((await server.store.getUser(userId))?.name).toBe("小明");
    expect(app.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe("/pages/conversations/conversations");
    const list = await openList(app);
    expect((list.data.meFace as { letter: string }).letter).toBe("小");
  });

  it("choosing an avatar shows our privacy popup first; agreeing lets the avatar upload and become the user's", async () => {
    const { app, userId } = await wechatLogin("oAgree_2");
    const page = app.open("profile", { setup: "1" });
    const chosen = chooseAvatar(app, page);
    await waitUntil("popup", () => page.data.privacyShown === true);
    expect(page.byClass("popup-title").map((el) => el.textContent)).toEqual(["用户隐私保护提示"]);
    page.call("onOpenPrivacyContract");
    expect(app.wx.uiCallsOf("openPrivacyContract")).toHaveLength(1);
    page.call("onAgreePrivacy", { currentTarget: { id: "agree-privacy", dataset: {} } });
    expect(await chosen).toBe("agree");
    expect(page.data.privacyShown).toBe(false);

    // WeChat now hands the chosen picture's temporary path to bindchooseavatar.
    await page.call("onChooseAvatar", { detail: { avatarUrl: "http://tmp/avatar.jpg" } });
    expect(page.data.error).toBe("");
    const upload = app.wx.uploads.at(-1);
    expect(upload).toMatchObject({ filePath: "http://tmp/avatar.jpg", name: "file", formData: { kind: "image" } });
    expect(upload?.url).toBe(`${server.httpUrl}/v1/media`);
    expect(upload?.header.authorization).toMatch(/^Bearer /);
    const stored = await server.store.getUser(userId);
    expect(stored?.avatarMediaId).toMatch(/^m/);
    // The login answer carries the media token: the page shows the stored avatar's thumbnail.
    expect((page.data.face as { src: string }).src).toMatch(
      new RegExp(`/v1/media/${stored?.avatarMediaId}/thumb\\?t=.+`),
    );

    // Consent is remembered: the next chooseAvatar asks no more.
    expect(await chooseAvatar(app, page)).toBe("agree");
  });

  it("declining the privacy guide keeps the app working: no upload, a letter avatar, the name still saves", async () => {
    const { app, userId } = await wechatLogin("oDecline_3");
    const page = app.open("profile", { setup: "1" });
    const chosen = chooseAvatar(app, page);
    await waitUntil("popup", () => page.data.privacyShown === true);
    page.call("onDeclinePrivacy");
    expect(await chosen).toBe("disagree");
    expect(page.data).toMatchObject({ privacyShown: false, privacyDeclined: true });
    expect(page.byClass("note").map((el) => el.textContent)).toContain(
      "未同意隐私保护指引，暂时无法选择头像；可以先只填昵称",
    );
    expect(app.wx.uploads).toHaveLength(0);

    await submit(page, "Lily");
    expect(page.data.error).toBe("");
    const stored = await server.store.getUser(userId);
    expect(stored).toMatchObject({ name: "Lily" });
    expect(stored?.avatarMediaId).toBeUndefined();
    expect(page.data.face).toMatchObject({ src: "", letter: "L" });
  });
});
