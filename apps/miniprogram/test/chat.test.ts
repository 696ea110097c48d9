import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import {
  bubbles,
  inputOf,
  lastChatNavigation,
  openList,
  rows,
  tapOn,
  texts,
  typeAndSend,
  waitForBubble,
} from "./support/flows";
import { SimulatedApp, type SimulatedPage } from "./support/simulated-app";

/**
 * Two simulated mini programs (alice and bob), built from dist/, each with its own wx storage,
 * talking to the real server over real sockets. The tests run in order and share the apps: each
 * step starts where the previous one left them, as a person using the app would.
 */
describe("two apps chatting through the real server", () => {
  const { login, keep } = useAppServer();
  let alice: SimulatedApp;
  let bob: SimulatedApp;
  let aliceList: SimulatedPage;
  let bobList: SimulatedPage;
  let aliceChat: SimulatedPage;
  let bobChat: SimulatedPage;
  let conversationId: string;

  it("alice and bob log in, open a direct chat and exchange messages", async () => {
    alice = await login("alice");
    bob = await login("bob");
    aliceList = await openList(alice);
    bobList = await openList(bob);

    // Alice starts a direct chat with bob by his user id.
    aliceList.call("onComposeDirect");
    aliceList.call("onPeerIdInput", inputOf("bob"));
    await aliceList.call("onCreateDirect");
    expect(aliceList.data.error).toBe("");
    conversationId = lastChatNavigation(alice);
    aliceChat = alice.open("chat", { id: conversationId });

    typeAndSend(aliceChat, "你好 bob 👋");
    expect(aliceChat.data.input).toBe("");
    await waitForBubble(aliceChat, "你好 bob 👋");

    // Bob's list shows the conversation with an unread badge before he opens it.
    const row = await waitUntil("bob's list shows the new message unread", () =>
      rows(bobList).find((r) => r.id === conversationId && r.unread === 1),
    );
    expect(row).toMatchObject({ title: "alice", preview: "你好 bob 👋", unreadText: "1" });
    expect(bobList.byClass("badge").map((badge) => badge.textContent)).toEqual(["1"]);

    // Bob opens it from the list: the badge goes away, alice's message is on the left.
    bobList.call("onOpen", tapOn({ id: conversationId }));
    expect(lastChatNavigation(bob)).toBe(conversationId);
    bobChat = bob.open("chat", { id: conversationId });
    await waitForBubble(bobChat, "你好 bob 👋");
    expect(bubbles(bobChat)[0]?.mine).toBe(false);
    await waitUntil("bob's badge cleared", () => rows(bobList).find((r) => r.id === conversationId)?.unread === 0);
    expect(bobList.byClass("badge")).toHaveLength(0);

    // Alice's bubble turns "已读" once bob's read receipt arrives.
    await waitUntil(
      "alice sees 已读",
      () => bubbles(aliceChat).find((b) => b.text === "你好 bob 👋")?.readLabel === "已读",
    );

    // A few turns back and forth; each side sees every message, in order.
    const turns: Array<[SimulatedPage, string]> = [
      [bobChat, "hi alice"],
      [aliceChat, "周末去爬山吗？"],
      [bobChat, "好啊 <b>not bold</b> & 'quotes'"],
      [aliceChat, "那就周六见"],
    ];
    for (const [chat, text] of turns) {
      typeAndSend(chat, text);
      await waitForBubble(aliceChat, text);
      await waitForBubble(bobChat, text);
    }
    const expected = ["你好 bob 👋", ...turns.map(([, text]) => text)];
    expect(texts(aliceChat)).toEqual(expected);
    expect(texts(bobChat)).toEqual(expected);
    expect(bubbles(aliceChat).map((b) => b.mine)).toEqual([true, false, true, false, true]);
    expect(bubbles(bobChat).map((b) => b.mine)).toEqual([false, true, false, true, false]);
    expect(bubbles(aliceChat).map((b) => b.seq)).toEqual([1, 2, 3, 4, 5]);

    // Rendered: own bubbles on the right (class "mine"), the others' on the left ("theirs").
    const sides = (chat: SimulatedPage) =>
      chat.byClass("line").map((line) => (line.classList.contains("main--mine") ? "right" : "left"));
    expect(sides(aliceChat)).toEqual(["right", "left", "right", "left", "right"]);
    expect(sides(bobChat)).toEqual(["left", "right", "left", "right", "left"]);
    expect(aliceChat.byClass("bubble").map((bubble) => bubble.textContent)).toEqual(expected);

    // The chat follows the newest message.
    expect(aliceChat.data.scrollIntoView).toBe(bubbles(aliceChat).at(-1)?.domId);
  });

  it("bob's app goes to the background; alice sends 20; back in the foreground bob has all 20 once, in order", async () => {
    bob.hide();
    await waitUntil("bob's socket closed", () => bob.wx.openSockets === 0);

    const twenty = Array.from({ length: 20 }, (_, i) => `后台消息 ${i + 1}`);
    for (const text of twenty) typeAndSend(aliceChat, text);
    await waitUntil("alice's 20 stored", () =>
      twenty.every((text) => bubbles(aliceChat).some((b) => b.text === text && b.status === "sent")),
    );
    // Nothing reached bob's app while it was in the background.
    expect(texts(bobChat).filter((text) => twenty.includes(text))).toEqual([]);

    bob.show();
    await waitUntil("bob shows all 20", () => twenty.every((text) => texts(bobChat).includes(text)));
    const received = texts(bobChat).filter((text) => twenty.includes(text));
    expect(received).toEqual(twenty);
    const seqs = bubbles(bobChat).map((b) => b.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(bobChat.data.banner).toBe("");
    // He is looking at the chat, so they are read: the list shows no badge.
    await waitUntil("bob's badge stays clear", () => rows(bobList).find((r) => r.id === conversationId)?.unread === 0);
  });

  it("a message sent while offline shows as pending, then is delivered once after reconnecting", async () => {
    alice.wx.goOffline();
    await waitUntil("alice sees the offline banner", () => aliceChat.data.banner !== "");
    expect(aliceChat.byClass("banner").map((banner) => banner.textContent)).toEqual([aliceChat.data.banner]);

    const text = "离线时写的消息";
    typeAndSend(aliceChat, text);
    const pending = bubbles(aliceChat).at(-1);
    expect(pending).toMatchObject({ text, mine: true, status: "pending", seq: 0 });
    expect(aliceChat.byClass("pending").map((label) => label.textContent)).toEqual(["发送中"]);
    // It is in the outbox in wx storage before any network was tried.
    const outboxKey = [...alice.wx.storage.keys()].find((key) => key.startsWith("mpchat:outbox"));
    expect(String(alice.wx.storage.get(outboxKey ?? ""))).toContain(text);

    alice.wx.goOnline();
    const delivered = await waitForBubble(aliceChat, text);
    expect(aliceChat.data.banner).toBe("");
    expect(aliceChat.byClass("pending")).toHaveLength(0);
    await waitForBubble(bobChat, text);

    // Once everywhere: one bubble on each side, one stored message on the server.
    expect(texts(aliceChat).filter((t) => t === text)).toHaveLength(1);
    expect(texts(bobChat).filter((t) => t === text)).toHaveLength(1);
    const chat = bob.instance.services.chat as unknown as {
      client: {
        api: { history(id: string, q: object): Promise<{ messages: Array<{ seq: number; body: { text: string } }> }> };
      };
    };
    const history = await chat.client.api.history(conversationId, { limit: 200 });
    expect(history.messages.filter((m) => m.body.text === text).map((m) => m.seq)).toEqual([delivered.seq]);
  });

  it("after alice's app restarts, her last message still shows 已读: bob's read cursor comes with the list", async () => {
    // Bob's chat is open and visible, so he read alice's last message; her running app saw the receipt.
    const last = bubbles(aliceChat).at(-1);
    expect(last).toMatchObject({ mine: true, status: "sent" });
    await waitUntil("alice sees 已读 before the restart", () => bubbles(aliceChat).at(-1)?.readLabel === "已读");
    // Bob's own last message is far older: only his read cursor can make alice's last one 已读.
    const bobsLast = bubbles(bobChat)
      .filter((b) => b.mine)
      .at(-1);
    expect(bobsLast?.seq ?? 0).toBeLessThan(last?.seq ?? 0);

    // The app is killed and started again on the same phone (same wx storage): no receipt will come.
    alice.shutdown();
    alice = keep(SimulatedApp.launch("alice again", alice.wx));
    expect(alice.instance.services.chat?.user.id).toBe("alice");
    await openList(alice);
    aliceChat = alice.open("chat", { id: conversationId });
    await waitForBubble(aliceChat, last?.text ?? "");
    const labelled = await waitUntil("restarted alice sees 已读 on her last message", () => {
      const own = bubbles(aliceChat).filter((b) => b.mine && b.readLabel !== "");
      return own.length === 1 && own[0]?.seq === last?.seq && own[0]?.readLabel === "已读" ? own[0] : undefined;
    });
    expect(labelled.seq).toBe(last?.seq);
    expect(aliceChat.byClass("read-label").map((label) => label.textContent)).toEqual(["已读"]);
  });
});
