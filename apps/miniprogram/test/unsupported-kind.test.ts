import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import {
  bubbles,
  inputOf,
  lastChatNavigation,
  openList,
  rows,
  texts,
  typeAndSend,
  waitForBubble,
} from "./support/flows";

const UNSUPPORTED = "[暂不支持的消息类型，请升级小程序]";
/** The text alice sends that bob's "newer server" turns into a sticker, a kind this app does not know. */
const MARKER = "__sticker__";
const asSticker = (text: string) =>
  text.replaceAll(JSON.stringify({ kind: "text", text: MARKER }), JSON.stringify({ kind: "sticker", stickerId: "s1" }));

/**
 * A newer server sends a body kind this mini program does not know (played by rewriting what bob's
 * app receives, over HTTP and the socket): the message keeps its place and shows a hint to upgrade,
 * and the page goes on working.
 */
describe("a message of a body kind from a newer server", () => {
  const { login } = useAppServer();

  it("shows as an unsupported message in the list and in its bubble, in order, and the chat goes on", async () => {
    const alice = await login("alice");
    const bob = await login("bob");
    bob.wx.rewriteIncoming = asSticker;
    const aliceList = await openList(alice);
    const bobList = await openList(bob);

    aliceList.call("onComposeDirect");
    aliceList.call("onPeerIdInput", inputOf("bob"));
    await aliceList.call("onCreateDirect");
    const conversationId = lastChatNavigation(alice);
    const aliceChat = alice.open("chat", { id: conversationId });
    typeAndSend(aliceChat, "看这个");
    await waitForBubble(aliceChat, "看这个");
    typeAndSend(aliceChat, MARKER);
    await waitForBubble(aliceChat, MARKER);

    const row = await waitUntil("bob's list previews the sticker", () =>
      rows(bobList).find((r) => r.id === conversationId && r.unread === 2),
    );
    expect(row.preview).toBe(UNSUPPORTED);

    const bobChat = bob.open("chat", { id: conversationId });
    await waitForBubble(bobChat, UNSUPPORTED);
    expect(texts(bobChat)).toEqual(["看这个", UNSUPPORTED]);
    expect(bubbles(bobChat).map((b) => b.seq)).toEqual([1, 2]);
    expect(bobChat.byClass("bubble").map((bubble) => bubble.textContent)).toEqual(["看这个", UNSUPPORTED]);

    // The page is not broken: the next message arrives after it, and bob can answer.
    typeAndSend(aliceChat, "还在吗");
    await waitForBubble(bobChat, "还在吗");
    typeAndSend(bobChat, "在，但看不到贴纸");
    await waitForBubble(aliceChat, "在，但看不到贴纸");
    expect(texts(bobChat)).toEqual(["看这个", UNSUPPORTED, "还在吗", "在，但看不到贴纸"]);
    // Alice's app, talking to the server unchanged, still shows her own text.
    expect(texts(aliceChat)).toEqual(["看这个", MARKER, "还在吗", "在，但看不到贴纸"]);
  });
});
