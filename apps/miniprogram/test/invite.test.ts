import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { inputOf, lastChatNavigation, launchAndDevLogin, openList, tapOn } from "./support/flows";
import type { SimulatedApp, SimulatedPage } from "./support/simulated-app";

interface ShareCard {
  title: string;
  path: string;
  promise?: Promise<{ title: string; path: string }>;
}

/** The card a share from `page` makes: at once when the code is ready, else through `promise`. */
async function shareCard(page: SimulatedPage): Promise<{ title: string; path: string }> {
  const card = page.call("onShareAppMessage") as ShareCard;
  return card.promise ? await card.promise : card;
}

function codeOf(path: string): string {
  const match = /^\/pages\/invite\/invite\?code=(.+)$/.exec(path);
  if (!match?.[1]) throw new Error(`not an invite card: ${path}`);
  return decodeURIComponent(match[1]);
}

function lastRedirectChat(app: SimulatedApp): string {
  const url = String(app.wx.uiCallsOf("redirectTo").at(-1)?.option.url ?? "");
  const match = /^\/pages\/chat\/chat\?id=(.+)$/.exec(url);
  if (!match?.[1]) throw new Error(`no redirect to a chat: ${url}`);
  return decodeURIComponent(match[1]);
}

/** Share cards with invite codes, and the invite page that joins with one tap. */
describe("invite cards", () => {
  const appServer = useAppServer();
  const { login, keep } = appServer;

  it("a card from the list opens a direct chat with the inviter; the page shows who invites", async () => {
    const alice = await login("alice", "爱丽丝");
    const bob = await login("bob", "小鲍");
    const aliceList = await openList(alice);
    const card = await shareCard(aliceList);
    expect(card.title).toBe("爱丽丝 邀请你聊天");
    const code = codeOf(card.path);
    // The code made on show is the one every later share uses (multi-use, 7 days).
    await waitUntil("the code is ready", () => !(aliceList.call("onShareAppMessage") as ShareCard).promise);
    expect(codeOf((aliceList.call("onShareAppMessage") as ShareCard).path)).toBe(code);

    const invite = bob.open("invite", { code });
    await waitUntil("invite loaded", () => invite.data.phase !== "loading");
    expect(invite.data).toMatchObject({ phase: "ready", inviterName: "爱丽丝", groupTitle: "", own: false });
    expect(invite.byClass("inviter").map((el) => el.textContent)).toEqual(["爱丽丝"]);
    expect(invite.byClass("join").map((el) => el.textContent?.trim())).toEqual(["开始聊天"]);
    await invite.call("onAccept");
    const conversationId = lastRedirectChat(bob);
    const conversation = await appServer.server.store.getConversation(conversationId);
    expect(conversation?.kind).toBe("direct");
    expect([...(conversation?.memberIds ?? [])].sort()).toEqual(["alice", "bob"]);
  });

  it("a card from a group chat joins the group with one tap", async () => {
    const alice = await login("alice", "爱丽丝");
    const dave = await login("dave", "大卫");
    const aliceList = await openList(alice);
    aliceList.call("onGroupTitleInput", inputOf("读书会"));
    aliceList.call("onGroupMembersInput", inputOf("bob"));
    await aliceList.call("onCreateGroup");
    const groupId = lastChatNavigation(alice);
    const chat = alice.open("chat", { id: groupId });
    await waitUntil("chat titled", () => chat.data.title === "读书会");
    const card = await shareCard(chat);
    expect(card.title).toBe("邀请你加入群聊「读书会」");

    const invite = dave.open("invite", { code: codeOf(card.path) });
    await waitUntil("invite loaded", () => invite.data.phase !== "loading");
    expect(invite.data).toMatchObject({ phase: "ready", inviterName: "爱丽丝", groupTitle: "读书会", memberCount: 2 });
    expect(invite.byClass("group-count").map((el) => el.textContent)).toEqual(["2 人"]);
    await invite.call("onAccept");
    expect(lastRedirectChat(dave)).toBe(groupId);
    const conversation = await appServer.server.store.getConversation(groupId);
    expect(conversation?.memberIds).toContain("dave");
  });

  it("a revoked or unknown code says the invite is gone; accepting a code revoked meanwhile says so too", async () => {
    const alice = await login("alice", "爱丽丝");
    const erin = await login("erin", "小艾");
    const aliceList = await openList(alice);
    const code = codeOf((await shareCard(aliceList)).path);
    const invite = erin.open("invite", { code });
    await waitUntil("invite loaded", () => invite.data.phase === "ready");

    const token = JSON.parse(String(alice.wx.storage.get("mpchat:session"))).token as string;
    const revoked = await fetch(`${appServer.server.httpUrl}/v1/invites/${encodeURIComponent(code)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(204);
    await invite.call("onAccept");
    expect(invite.data.error).toBe("");
    expect(invite.data.phase).toBe("expired");
    expect(invite.byClass("message").map((el) => el.textContent)).toEqual(["邀请已过期或已被撤销，请让对方重新分享"]);
    expect(erin.wx.uiCallsOf("redirectTo")).toHaveLength(0);

    for (const bad of [code, "x".repeat(24), "no-such-invite-code-1"]) {
      const page = erin.open("invite", { code: bad });
      await waitUntil(`invite ${bad} answered`, () => page.data.phase !== "loading");
      expect(page.data.phase).toBe("expired");
    }
  });

  it("opened before login: log in first, then back to the card", async () => {
    const alice = await login("alice", "爱丽丝");
    const code = codeOf((await shareCard(await openList(alice))).path);
    // A phone that never logged in: the card's page sends it to login and keeps the code.
    // (Logged in once, then logged out: a phone without a session.)
    const fresh = keep(await launchAndDevLogin(appServer.server.httpUrl, "frank"));
    const list = fresh.open("conversations");
    await list.call("onLogout");
    fresh.close(list);
    const invite = fresh.open("invite", { code });
    expect(fresh.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe("/pages/login/login");
    fresh.close(invite);
    const loginPage = fresh.open("login");
    await waitUntil("dev login offered", () => loginPage.data.devAvailable === true);
    loginPage.call("onPickName", tapOn({ name: "frank" }));
    await loginPage.call("onDevLogin");
    expect(fresh.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe(
      `/pages/invite/invite?code=${encodeURIComponent(code)}`,
    );
  });
});
