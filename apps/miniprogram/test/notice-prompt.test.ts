import { startTestServer, type TestServer } from "@mpchat/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { launchAndDevLogin, openList, texts, typeAndSend, waitForBubble } from "./support/flows";
import { SimulatedApp, type SimulatedPage } from "./support/simulated-app";

const TEMPLATE = "TPL_new-message_simulated";

interface PromptView {
  askable: string[];
}
const promptOf = (app: SimulatedApp) =>
  (app.instance.services.chat as unknown as { notices: PromptView } | null)?.notices;

/**
 * The subscribe prompt (offline notices) in the chat page: asked when the user sends, once per
 * session, never again after "always reject"; acceptances reach the server's ledger. A notice's
 * page (pages/chat/chat?id=…) opens the chat on a cold start.
 */
describe("asking for offline notices when sending", () => {
  let server: TestServer;
  const apps: SimulatedApp[] = [];
  let conversationId = "";

  beforeAll(async () => {
    server = await startTestServer({
      config: {
        devLogin: true,
        notices: {
          templateId: TEMPLATE,
          fields: [{ key: "thing1", kind: "thing", role: "conversation" }],
          hint: "你有新消息",
          state: "developer",
          lang: "zh_CN",
        },
      },
    });
  });
  afterAll(async () => {
    for (const app of apps) app.shutdown();
    await server?.close();
  });

  const keep = (app: SimulatedApp) => {
    apps.push(app);
    return app;
  };
  const credits = async (userId: string) =>
    (await server.store.listNoticeCredits(userId)).find((s) => s.templateId === TEMPLATE)?.credits ?? 0;

  /** A chat page of a (re)launched app, once the prompt knows the template and the remembered choices. */
  async function openChat(app: SimulatedApp): Promise<SimulatedPage> {
    await openList(app);
    const chat = app.open("chat", { id: conversationId });
    await waitUntil(`${app.name}: prompt prepared`, () => {
      const prompt = promptOf(app);
      return prompt !== undefined && app.wx.responses.some((body) => body.includes('"subscriptions"'));
    });
    return chat;
  }

  it("asks at the first send, reports the acceptance, and not again in the same session", async () => {
    const alice = keep(await launchAndDevLogin(server.httpUrl, "alice"));
    keep(await launchAndDevLogin(server.httpUrl, "bob"));
    const list = await openList(alice);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", { detail: { value: "bob" } });
    await list.call("onCreateDirect");
    conversationId = String(alice.wx.uiCallsOf("navigateTo").at(-1)?.option.url).split("id=")[1] ?? "";
    expect(conversationId).not.toBe("");
    const chat = alice.open("chat", { id: conversationId });
    await waitUntil("alice's prompt knows the template", () => promptOf(alice)?.askable.includes(TEMPLATE));
    expect(alice.wx.subscribeRequests).toHaveLength(0);

    typeAndSend(chat, "第一条");
    expect(alice.wx.subscribeRequests).toEqual([
      { tmplIds: [TEMPLATE], popupShown: true, result: expect.objectContaining({ [TEMPLATE]: "accept" }) },
    ]);
    await waitForBubble(chat, "第一条");
    await waitUntil("the acceptance reported", () =>
      alice.wx.responses.some((body) => body.includes('"subscription"') && body.includes('"credits":1')),
    );
    expect(await credits("alice")).toBe(1);

    typeAndSend(chat, "第二条");
    typeAndSend(chat, "第三条");
    await waitForBubble(chat, "第三条");
    expect(alice.wx.subscribeRequests).toHaveLength(1);
    expect(await credits("alice")).toBe(1);
  });

  it("asks again in the next session; after 'always reject' never again", async () => {
    const first = apps[0];
    if (!first) throw new Error("no alice");
    first.shutdown();
    const wx = first.wx;
    // A new launch on the same phone: the session and WeChat's memory stay.
    const alice = keep(SimulatedApp.launch("alice", wx));
    let chat = await openChat(alice);
    wx.subscribeChoice = { answer: "reject", always: true };
    typeAndSend(chat, "拒绝并记住");
    expect(wx.subscribeRequests.at(-1)).toMatchObject({ popupShown: true, result: { [TEMPLATE]: "reject" } });
    await waitForBubble(chat, "拒绝并记住");
    expect(await credits("alice")).toBe(1);
    const asked = wx.subscribeRequests.length;

    alice.shutdown();
    const again = keep(SimulatedApp.launch("alice", wx));
    chat = await openChat(again);
    await waitUntil("the remembered reject is known", () => promptOf(again)?.askable.length === 0);
    typeAndSend(chat, "不再询问");
    await waitForBubble(chat, "不再询问");
    expect(wx.subscribeRequests).toHaveLength(asked);
  });

  it("after 'always accept' WeChat shows no popup: one more notice a session, silently", async () => {
    const bob = apps[1];
    if (!bob) throw new Error("no bob");
    let chat = await openChat(bob);
    bob.wx.subscribeChoice = { answer: "accept", always: true };
    typeAndSend(chat, "总是允许");
    expect(bob.wx.subscribeRequests.at(-1)).toMatchObject({ popupShown: true });
    await waitUntil("bob's acceptance reported", () => bob.wx.responses.some((body) => body.includes('"credits":1')));

    bob.shutdown();
    const next = keep(SimulatedApp.launch("bob", bob.wx));
    chat = await openChat(next);
    typeAndSend(chat, "下次会话");
    expect(next.wx.subscribeRequests.at(-1)).toMatchObject({ popupShown: false, result: { [TEMPLATE]: "accept" } });
    await waitUntil("the silent acceptance reported", () =>
      next.wx.responses.some((body) => body.includes('"credits":2')),
    );
    expect(await credits("bob")).toBe(2);
  });

  it("with notices switched off in settings, nothing is asked", async () => {
    const carol = keep(await launchAndDevLogin(server.httpUrl, "carol"));
    // Switched off in the mini program's settings page: the chat page reads it again when it shows.
    carol.wx.subscriptionsMainSwitch = false;
    const list = await openList(carol);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", { detail: { value: "bob" } });
    await list.call("onCreateDirect");
    const id = String(carol.wx.uiCallsOf("navigateTo").at(-1)?.option.url).split("id=")[1] ?? "";
    const chat = carol.open("chat", { id });
    await waitUntil("carol's prompt prepared", () =>
      carol.wx.responses.some((body) => body.includes('"subscriptions"')),
    );
    await waitUntil("settings read", () => promptOf(carol)?.askable.length === 0);
    typeAndSend(chat, "开关已关");
    await waitForBubble(chat, "开关已关");
    expect(carol.wx.subscribeRequests).toHaveLength(0);
  });

  it("a notice's page opens the chat on a cold start", async () => {
    const bob = apps.find((app) => app.name === "bob" && app.instance.services.chat !== null);
    if (!bob) throw new Error("no bob");
    bob.shutdown();
    // What WeChat opens when the notice is tapped: the page of subscribe/send, `pages/chat/chat?id=…`.
    const page = `pages/chat/chat?id=${conversationId}`;
    const [path, query] = page.split("?");
    expect(path).toBe("pages/chat/chat");
    const id = new URLSearchParams(query).get("id") ?? "";
    const relaunches = bob.wx.uiCallsOf("reLaunch").length;
    const cold = keep(SimulatedApp.launch("bob", bob.wx));
    const chat = cold.open("chat", { id });
    await waitUntil("bob's chat shows alice's messages", () => texts(chat).includes("第一条") || undefined);
    expect(chat.data.conversationId).toBe(conversationId);
    // no detour through the login page
    expect(cold.wx.uiCallsOf("reLaunch")).toHaveLength(relaunches);
  });
});
