import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import type { SimulatedApp } from "./support/simulated-app";

const tokenOf = (app: SimulatedApp) => JSON.parse(String(app.wx.storage.get("mpchat:session"))).token as string;

/** "退出登录" on the profile page: the session ends on the server, not only on this phone. */
describe("logging out", () => {
  const appServer = useAppServer();
  const meStatus = async (token: string) =>
    (await fetch(`${appServer.server.httpUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  async function onlineProfile(name: string) {
    const app = await appServer.login(name);
    await waitUntil(`${name} online`, () => app.instance.services.chat?.client.state === "online");
    const page = app.open("profile");
    expect(page.byClass("logout").map((el) => el.textContent)).toEqual(["退出登录"]);
    return { app, page, token: tokenOf(app) };
  }

  it("ends the session on the server: the old token is refused, the app is on the login page", async () => {
    const { app, page, token } = await onlineProfile("alice");
    expect(await meStatus(token)).toBe(200);

    await page.call("onLogout");
    expect(await meStatus(token)).toBe(401);
    expect(app.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe("/pages/login/login");
    expect(app.wx.storage.has("mpchat:session")).toBe(false);
    expect(app.instance.services.chat).toBeNull();
  });

  it("offline: still logs out on the phone and goes to the login page (the server could not be told)", async () => {
    const { app, page, token } = await onlineProfile("bob");
    app.wx.goOffline();

    await page.call("onLogout");
    expect(app.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe("/pages/login/login");
    expect(app.wx.storage.has("mpchat:session")).toBe(false);
    expect(app.instance.services.chat).toBeNull();
    // Nothing reached the server, so there the session lives on until it expires.
    app.wx.goOnline();
    expect(await meStatus(token)).toBe(200);
  });
});
