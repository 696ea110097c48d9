import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { bubbles, inputOf, lastChatNavigation, openList, typeAndSend, waitForBubble } from "./support/flows";
import type { SimulatedApp, SimulatedPage } from "./support/simulated-app";

interface PeerPanel {
  id: string;
  name: string;
  blocked: boolean;
}

const peerOf = (chat: SimulatedPage) => chat.data.peer as PeerPanel | null;
const switchTo = (chat: SimulatedPage, value: boolean) => chat.call("onToggleBlock", { detail: { value } });

/** "···" of a direct chat: 加入黑名单 (asked first), from the server's list of blocks; a blocked person's sends fail. */
describe("blocking the other person of a direct chat", () => {
  const appServer = useAppServer();
  let alice: SimulatedApp;
  let bob: SimulatedApp;
  let aliceChat: SimulatedPage;
  let bobChat: SimulatedPage;

  const blocksOfAlice = async () => (await appServer.server.store.listBlocks("alice")).map((block) => block.blockedId);

  it("the panel shows bob, not blocked; declining the confirm blocks nothing", async () => {
    alice = await appServer.login("alice");
    bob = await appServer.login("bob", "王浩");
    const list = await openList(alice);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf("bob"));
    await list.call("onCreateDirect");
    const id = lastChatNavigation(alice);
    aliceChat = alice.open("chat", { id });
    bobChat = bob.open("chat", { id });
    typeAndSend(bobChat, "在吗");
    await waitForBubble(aliceChat, "在吗");

    await aliceChat.call("onOpenPeer");
    expect(peerOf(aliceChat)).toEqual({ id: "bob", name: "王浩", blocked: false });
    expect(aliceChat.byClass("peer-name").map((el) => el.textContent)).toEqual(["王浩"]);
    expect(aliceChat.byClass("block-switch")).toHaveLength(1);
    alice.wx.modalAnswers.push({ confirm: false });
    await switchTo(aliceChat, true);
    expect(alice.wx.uiCallsOf("showModal").at(-1)?.option.title).toBe("加入黑名单");
    expect(peerOf(aliceChat)?.blocked).toBe(false);
    expect(await blocksOfAlice()).toEqual([]);
  });

  it("confirming blocks bob on the server; the panel says so when opened again; bob's sends fail", async () => {
    alice.wx.modalAnswers.push({ confirm: true });
    await switchTo(aliceChat, true);
    expect(peerOf(aliceChat)?.blocked).toBe(true);
    expect(await blocksOfAlice()).toEqual(["bob"]);
    aliceChat.call("onClosePeer");
    expect(peerOf(aliceChat)).toBeNull();
    await aliceChat.call("onOpenPeer");
    expect(peerOf(aliceChat)?.blocked).toBe(true);

    typeAndSend(bobChat, "为什么不回我");
    await waitUntil("bob's send fails", () =>
      bubbles(bobChat).find((bubble) => bubble.text === "为什么不回我" && bubble.status === "failed"),
    );
    expect(bubbles(aliceChat).map((bubble) => bubble.text)).not.toContain("为什么不回我");
  });

  it("switching it off unblocks (no confirm): bob's next text arrives", async () => {
    const modals = alice.wx.uiCallsOf("showModal").length;
    await switchTo(aliceChat, false);
    expect(alice.wx.uiCallsOf("showModal")).toHaveLength(modals);
    expect(peerOf(aliceChat)?.blocked).toBe(false);
    expect(await blocksOfAlice()).toEqual([]);
    typeAndSend(bobChat, "好吧");
    await waitForBubble(aliceChat, "好吧");
  });
});
