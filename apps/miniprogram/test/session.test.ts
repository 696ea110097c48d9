import { FaultProxy } from "@mpchat/client/testing";
import { devLogin } from "@mpchat/server/testing";
import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { inputOf, lastChatNavigation, openList, texts, typeAndSend, waitForBubble } from "./support/flows";
import { SimulatedApp } from "./support/simulated-app";
import { WxShim } from "./support/wx-shim";

/** What the app keeps across a restart (session, outbox) and what it does when the session is gone. */
describe("the app across restarts", () => {
  const appServer = useAppServer();

  it("a message written offline survives the app being killed and is delivered once after the restart", async () => {
    const alice = await appServer.login("alice");
    const bob = await appServer.login("bob");
    const list = await openList(alice);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf("bob"));
    await list.call("onCreateDirect");
    const conversationId = lastChatNavigation(alice);
    const bobChat = bob.open("chat", { id: conversationId });

    const chat = alice.open("chat", { id: conversationId });
    alice.wx.goOffline();
    await waitUntil("offline banner", () => chat.data.banner !== "");
    typeAndSend(chat, "写完就被杀掉了");
    expect(texts(chat)).toEqual(["写完就被杀掉了"]);
    // The app is killed while offline (the test stops its client so that it cannot come back):
    // nothing was sent, only wx storage remains.
    alice.shutdown();

    alice.wx.goOnline();
    const restarted = appServer.keep(SimulatedApp.launch("alice again", alice.wx));
    // Still logged in: straight to the list, no login page.
    expect(restarted.instance.services.chat?.user.id).toBe("alice");
    await openList(restarted);
    const reopened = restarted.open("chat", { id: conversationId });
    await waitForBubble(reopened, "写完就被杀掉了");
    await waitForBubble(bobChat, "写完就被杀掉了");
    expect(texts(reopened)).toEqual(["写完就被杀掉了"]);
    expect(texts(bobChat)).toEqual(["写完就被杀掉了"]);
  });

  it("a token the server refuses sends the user back to the login page and forgets the session", async () => {
    const wx = new WxShim({ serverUrl: appServer.server.httpUrl });
    wx.storage.set("mpchat:session", JSON.stringify({ token: "not-a-token", user: { id: "mallory", name: "M" } }));
    const app = appServer.keep(SimulatedApp.launch("stale", wx));
    await waitUntil("sent to the login page", () =>
      wx.uiCallsOf("reLaunch").some((call) => call.option.url === "/pages/login/login"),
    );
    expect(wx.storage.has("mpchat:session")).toBe(false);
    expect(app.instance.services.chat).toBeNull();
  });

  it("a network that stalls past the auth window right after connecting does not log the user out", {
    timeout: 60_000,
  }, async () => {
    const { token, user } = await devLogin(appServer.server, "carol", "Carol");
    // The server gives a socket 5 s to authenticate; the phone's network freezes for 6 s just
    // after the upgrade. The server closes with 4408 (a timeout), the app must come back.
    const proxy = new FaultProxy({
      targetPort: Number(new URL(appServer.server.httpUrl).port),
      random: () => 0.5,
      stallAfterUpgrade: { ms: 6_000, connections: 1 },
    });
    await proxy.start();
    try {
      const wx = new WxShim({ serverUrl: `http://127.0.0.1:${proxy.port}` });
      wx.storage.set("mpchat:session", JSON.stringify({ token, user: { id: user.id, name: user.name } }));
      const app = appServer.keep(SimulatedApp.launch("carol on a slow network", wx));
      await waitUntil(
        "online again after the stall",
        () => proxy.counts.upgrades >= 2 && app.instance.services.chat?.client.state === "online",
        40_000,
      );
      expect(proxy.counts.stalls).toBe(1);
      expect(wx.uiCallsOf("showToast").map((call) => call.option.title)).not.toContain("登录已过期，请重新登录");
      expect(wx.uiCallsOf("reLaunch").map((call) => call.option.url)).not.toContain("/pages/login/login");
      expect(wx.storage.has("mpchat:session")).toBe(true);
      expect(app.instance.services.chat?.user.id).toBe("carol");
      app.shutdown();
    } finally {
      await proxy.close();
    }
  });
});
