import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { inputOf, lastChatNavigation, openList, rows, tapOn, typeAndSend, waitForBubble } from "./support/flows";
import type { SimulatedApp, SimulatedPage } from "./support/simulated-app";

interface ActionBubble {
  key: string;
  text: string;
  mine: boolean;
  seq: number;
  system: boolean;
  status: string;
  messageId: string;
  quote: { seq: number; text: string } | null;
  segments: { text: string; at: boolean }[];
  reedit: boolean;
}

const items = (chat: SimulatedPage) => chat.data.items as ActionBubble[];
const itemWith = (chat: SimulatedPage, text: string) => items(chat).find((item) => item.text === text);
const systemLines = (chat: SimulatedPage) =>
  items(chat)
    .filter((item) => item.system)
    .map((item) => item.text);
const menuLabels = (chat: SimulatedPage) =>
  ((chat.data.menu as { actions: { label: string }[] } | null)?.actions ?? []).map((action) => action.label);

/** A long-press on the bubble showing `text`, as WeChat hands it over (the bubble's data-key, the finger). */
function longPress(chat: SimulatedPage, text: string): void {
  const item = itemWith(chat, text);
  if (!item) throw new Error(`no bubble "${text}"`);
  chat.call("onLongPressBubble", { ...tapOn({ key: item.key }), touches: [{ clientY: 300 }] });
}

function pick(chat: SimulatedPage, label: string): void {
  const menu = chat.data.menu as { actions: { action: string; label: string }[] } | null;
  const action = menu?.actions.find((entry) => entry.label === label)?.action;
  if (!action) throw new Error(`no "${label}" in the menu: ${menuLabels(chat).join(",")}`);
  chat.call("onMenuAction", tapOn({ action }));
}

/** The long-press menu, replies and their quotes, the @ picker, recall and 重新编辑, delete-for-me, against the real server. */
describe("acting on messages in the mini program", () => {
  const appServer = useAppServer();
  const { login } = appServer;
  let alice: SimulatedApp;
  let bob: SimulatedApp;
  let carol: SimulatedApp;
  let groupId: string;
  let aliceChat: SimulatedPage;
  let bobChat: SimulatedPage;
  let carolChat: SimulatedPage;

  it("a group of three: the menu of a bubble follows who pressed it (recall for the sender and the owner only)", async () => {
    alice = await login("alice");
    bob = await login("bob");
    carol = await login("carol");
    const aliceList = await openList(alice);
    await openList(bob);
    await openList(carol);
    aliceList.call("onComposeGroup");
    aliceList.call("onGroupTitleInput", inputOf("读书会"));
    aliceList.call("onGroupMembersInput", inputOf("bob carol"));
    await aliceList.call("onCreateGroup");
    groupId = lastChatNavigation(alice);
    aliceChat = alice.open("chat", { id: groupId });
    bobChat = bob.open("chat", { id: groupId });
    carolChat = carol.open("chat", { id: groupId });
    await waitUntil("everyone has the group", () => [bobChat, carolChat].every((chat) => chat.data.isGroup === true));

    typeAndSend(bobChat, "第一章读完了");
    await waitForBubble(aliceChat, "第一章读完了");
    await waitForBubble(carolChat, "第一章读完了");
    // Bob's own bubble has its menu once acked (the others may see the push first).
    await waitForBubble(bobChat, "第一章读完了");

    longPress(aliceChat, "第一章读完了");
    expect(menuLabels(aliceChat)).toEqual(["复制", "回复", "撤回", "删除", "投诉"]);
    pick(aliceChat, "复制");
    expect(alice.wx.clipboard).toBe("第一章读完了");
    expect(aliceChat.data.menu).toBeNull();

    longPress(bobChat, "第一章读完了");
    expect(menuLabels(bobChat)).toEqual(["复制", "回复", "撤回", "删除"]);
    bobChat.call("onCloseMenu");

    longPress(carolChat, "第一章读完了");
    expect(menuLabels(carolChat)).toEqual(["复制", "回复", "删除", "投诉"]);
    // Cancelling the reason sheet reports nothing.
    pick(carolChat, "投诉");
    await waitUntil("the reason sheet is shown", () => carol.wx.uiCallsOf("showActionSheet").length === 1);
    expect(carol.wx.uiCallsOf("showActionSheet")[0]?.option.itemList).toEqual([
      "色情低俗",
      "政治敏感",
      "欺诈骗钱",
      "违法犯罪",
      "骚扰辱骂",
      "其他",
    ]);
    longPress(carolChat, "第一章读完了");
    carol.wx.actionSheetAnswers.push(4);
    pick(carolChat, "投诉");
    await waitUntil("the report is taken", () =>
      carol.wx.uiCallsOf("showToast").some((call) => call.option.title === "已提交"),
    );
    const reports = await appServer.server.store.listReports({ limit: 10 });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      reporterId: "carol",
      conversationId: groupId,
      messageId: itemWith(carolChat, "第一章读完了")?.messageId,
      reason: "骚扰辱骂",
    });
  });

  it("a reply shows its quote (sender and preview) on every side", async () => {
    longPress(carolChat, "第一章读完了");
    pick(carolChat, "回复");
    expect(carolChat.data.replying).toMatchObject({ text: "bob：第一章读完了" });
    typeAndSend(carolChat, "我还在第二节");
    expect(carolChat.data.replying).toBeNull();
    const original = await waitForBubble(bobChat, "第一章读完了");
    const reply = await waitUntil("bob sees carol's reply with its quote", () => {
      const item = itemWith(bobChat, "我还在第二节");
      return item?.quote ? item : undefined;
    });
    expect(reply.quote).toEqual({ seq: original?.seq, text: "bob：第一章读完了" });
    expect(bobChat.byClass("quote").map((el) => el.textContent)).toEqual(["bob：第一章读完了"]);
    await waitForBubble(carolChat, "我还在第二节");
    expect(itemWith(carolChat, "我还在第二节")?.quote?.text).toBe("bob：第一章读完了");
  });

  it("typing @ opens the member picker; the mention is highlighted and the list says [有人@我] until read", async () => {
    const carolList = carol.open("conversations");
    carol.close(carolChat);
    bobChat.call("onInput", inputOf("@"));
    expect(bobChat.data.mentionOpen).toBe(true);
    const candidates = bobChat.data.mentionCandidates as { id: string; name: string }[];
    expect(candidates.map((candidate) => candidate.id)).toEqual(["alice", "carol"]);
    // Only the owner and admins may mention all.
    expect(bobChat.data.mentionAllowAll).toBe(false);
    bobChat.call("onPickMention", tapOn({ id: "carol" }));
    expect(bobChat.data.input).toBe("@carol ");
    expect(bobChat.data.mentionOpen).toBe(false);
    typeAndSend(bobChat, `${bobChat.data.input as string}明天见`);
    const row = await waitUntil("carol's row says [有人@我]", () =>
      (carolList.data.items as { id: string; mention: string }[]).find((r) => r.id === groupId && r.mention !== ""),
    );
    expect(row.mention).toBe("[有人@我]");
    expect(carolList.byClass("mention-mark").map((el) => el.textContent)).toEqual(["[有人@我]"]);
    const mentioned = await waitForBubble(aliceChat, "@carol 明天见");
    expect((mentioned as unknown as ActionBubble).segments).toEqual([
      { text: "@carol", at: true },
      { text: " 明天见", at: false },
    ]);
    expect(aliceChat.byClass("mention").map((el) => el.textContent)).toEqual(["@carol"]);

    carolChat = carol.open("chat", { id: groupId });
    await waitForBubble(carolChat, "@carol 明天见");
    await waitUntil("read: the mark goes", () =>
      (carolList.data.items as { id: string; mention: string }[]).find((r) => r.id === groupId && r.mention === ""),
    );
    // The owner may mention all.
    aliceChat.call("onInput", inputOf("@"));
    expect(aliceChat.data.mentionAllowAll).toBe(true);
    aliceChat.call("onCloseMentions");
    aliceChat.call("onInput", inputOf(""));
  });

  it("recall: the sender sees 你撤回了一条消息 with 重新编辑, the others who recalled it", async () => {
    typeAndSend(bobChat, "说错了");
    await waitForBubble(aliceChat, "说错了");
    await waitForBubble(bobChat, "说错了");
    longPress(bobChat, "说错了");
    pick(bobChat, "撤回");
    const line = await waitUntil("bob's recall line", () =>
      items(bobChat).find((item) => item.text === "你撤回了一条消息"),
    );
    expect(line.system).toBe(true);
    expect(line.reedit).toBe(true);
    expect(bobChat.byClass("reedit").map((el) => el.textContent)).toEqual(["重新编辑"]);
    await waitUntil("alice's line", () => systemLines(aliceChat).includes("“bob”撤回了一条消息"));
    expect(itemWith(aliceChat, "说错了")).toBeUndefined();
    bobChat.call("onReedit", tapOn({ id: line.messageId }));
    expect(bobChat.data.input).toBe("说错了");

    // The owner recalls bob's message; a recalled line offers nothing on long-press.
    longPress(aliceChat, "第一章读完了");
    pick(aliceChat, "撤回");
    await waitUntil("bob sees the owner's recall", () => systemLines(bobChat).includes("“alice”撤回了一条成员消息"));
    await waitUntil("alice's own line", () => systemLines(aliceChat).includes("你撤回了一条成员消息"));
    // A recalled line offers no menu.
    const tombstone = items(aliceChat).find((item) => item.text === "你撤回了一条成员消息");
    aliceChat.call("onLongPressBubble", { ...tapOn({ key: tombstone?.key ?? "" }), touches: [{ clientY: 300 }] });
    expect(aliceChat.data.menu).toBeNull();
    // Not offered to carol for alice's message (not hers, she is a plain member).
    typeAndSend(aliceChat, "别撤我的");
    await waitForBubble(carolChat, "别撤我的");
    longPress(carolChat, "别撤我的");
    expect(menuLabels(carolChat)).not.toContain("撤回");
    carolChat.call("onCloseMenu");
  });

  it("delete-for-me hides a message on this phone only, also after the page opens again", async () => {
    longPress(carolChat, "别撤我的");
    pick(carolChat, "删除");
    expect(itemWith(carolChat, "别撤我的")).toBeUndefined();
    expect(itemWith(aliceChat, "别撤我的")).toBeDefined();
    carol.close(carolChat);
    carolChat = carol.open("chat", { id: groupId });
    await waitForBubble(carolChat, "@carol 明天见");
    expect(itemWith(carolChat, "别撤我的")).toBeUndefined();
  });

  it("tapping a quote scrolls to the original, loading older pages first", async () => {
    typeAndSend(aliceChat, "很早的原文");
    const original = await waitForBubble(aliceChat, "很早的原文");
    for (let i = 1; i <= 60; i++) typeAndSend(aliceChat, `填充 ${i}`);
    await waitForBubble(aliceChat, "填充 60");
    longPress(aliceChat, "很早的原文");
    pick(aliceChat, "回复");
    typeAndSend(aliceChat, "回到开头");
    await waitForBubble(aliceChat, "回到开头");

    // Dave on a new phone: only the newest page is loaded; the original is not.
    const carolAgain = await login("carol");
    const chat = carolAgain.open("chat", { id: groupId });
    const reply = (await waitForBubble(chat, "回到开头")) as unknown as ActionBubble;
    expect(reply.quote?.text).toBe("alice：很早的原文");
    expect(itemWith(chat, "很早的原文")).toBeUndefined();
    await chat.call("onTapQuote", tapOn({ seq: String(reply.quote?.seq) }));
    expect(itemWith(chat, "很早的原文")?.seq).toBe(original.seq);
    expect(chat.data.scrollIntoView).toBe(`m-${original.seq}`);
    expect(chat.data.highlightSeq).toBe(original.seq);
    expect(rows(await openList(carolAgain)).some((row) => row.id === groupId)).toBe(true);
  });
});
