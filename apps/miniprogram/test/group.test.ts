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
import type { SimulatedPage } from "./support/simulated-app";

/** A group of three, built dist/ against the real server: read counts, typing, history, refusals. */
describe("a group chat", () => {
  const { login } = useAppServer();
  let groupId: string;
  let aliceChat: SimulatedPage;

  it("alice creates a group; the others see it with her name in the preview; read counts grow as they open it", async () => {
    const alice = await login("alice");
    const bob = await login("bob");
    const carol = await login("carol");
    const aliceList = await openList(alice);
    const bobList = await openList(bob);
    await openList(carol);

    aliceList.call("onComposeGroup");
    aliceList.call("onGroupTitleInput", inputOf("周末爬山"));
    aliceList.call("onGroupMembersInput", inputOf("bob，carol"));
    await aliceList.call("onCreateGroup");
    expect(aliceList.data.error).toBe("");
    groupId = lastChatNavigation(alice);
    aliceChat = alice.open("chat", { id: groupId });
    typeAndSend(aliceChat, "大家好");
    await waitForBubble(aliceChat, "大家好");
    expect(aliceChat.data.title).toBe("周末爬山");

    const row = await waitUntil("bob's list shows the group", () =>
      rows(bobList).find((r) => r.id === groupId && r.unread === 1),
    );
    expect(row).toMatchObject({ title: "周末爬山", preview: "alice: 大家好" });

    // Nobody has read it yet: no count under alice's bubble.
    expect(bubbles(aliceChat)[0]?.readLabel).toBe("");
    const bobChat = bob.open("chat", { id: groupId });
    await waitForBubble(bobChat, "大家好");
    await waitUntil("1人已读", () => bubbles(aliceChat)[0]?.readLabel === "1人已读");
    const carolChat = carol.open("chat", { id: groupId });
    await waitForBubble(carolChat, "大家好");
    await waitUntil("2人已读", () => bubbles(aliceChat)[0]?.readLabel === "2人已读");
    expect(aliceChat.byClass("read-label").map((el) => el.textContent)).toEqual(["2人已读"]);

    // In a group, others' bubbles are labelled with the sender.
    expect(bobChat.byClass("sender").map((el) => el.textContent)).toEqual(["alice"]);

    // Bob types: alice sees who; his message then replaces the indicator.
    bobChat.call("onInput", inputOf("我"));
    await waitUntil("alice sees bob typing", () => aliceChat.data.typingText === "bob 正在输入…");
    typeAndSend(bobChat, "我也去");
    await waitForBubble(aliceChat, "我也去");
    expect(aliceChat.data.typingText).toBe("");
  });

  it("a newly installed app shows the latest page and loads older messages when scrolled to the top", async () => {
    const many = Array.from({ length: 60 }, (_, i) => `第 ${i + 1} 条`);
    for (const text of many) typeAndSend(aliceChat, text);
    await waitUntil("alice's 60 stored", () =>
      many.every((text) => bubbles(aliceChat).some((b) => b.text === text && b.status === "sent")),
    );
    const all = ["大家好", "我也去", ...many];

    // Carol on a new phone: the client fetches the newest page of a conversation it first sees.
    const carolAgain = await login("carol");
    const chat = carolAgain.open("chat", { id: groupId });
    await waitForBubble(chat, "第 60 条");
    const firstPage = texts(chat);
    expect(firstPage.length).toBeLessThan(all.length);
    expect(firstPage).toEqual(all.slice(all.length - firstPage.length));
    expect(chat.data.hasOlder).toBe(true);
    const firstShown = bubbles(chat)[0]?.domId;

    await chat.call("onScrollToUpper");
    await waitUntil("all history shown", () => texts(chat).length === all.length);
    expect(texts(chat)).toEqual(all);
    expect(bubbles(chat).map((b) => b.seq)).toEqual(all.map((_, i) => i + 1));
    // The message that was on top stays in view instead of jumping to the oldest.
    expect(chat.data.scrollIntoView).toBe(firstShown);
    expect(chat.data.hasOlder).toBe(false);
  });

  it("a send the server refuses for good shows as failed with retry, and is never delivered", async () => {
    // Dave is not a member: the server answers forbidden, which no retry can change.
    const dave = await login("dave");
    const chat = dave.open("chat", { id: groupId });
    typeAndSend(chat, "让我进去");
    const failed = await waitUntil("failed bubble", () => bubbles(chat).find((b) => b.status === "failed"));
    expect(failed).toMatchObject({ text: "让我进去", mine: true });
    expect(chat.byClass("failed").map((el) => el.textContent)).toEqual(["!发送失败，重试"]);

    chat.call("onRetry", tapOn({ id: failed.clientMsgId }));
    expect(bubbles(chat).find((b) => b.clientMsgId === failed.clientMsgId)?.status).toBe("pending");
    await waitUntil(
      "failed again",
      () => bubbles(chat).find((b) => b.clientMsgId === failed.clientMsgId)?.status === "failed",
    );
    expect(texts(aliceChat)).not.toContain("让我进去");
  });
});
