import { waitUntil } from "../../test/support/activity";
import {
  inputOf,
  lastChatNavigation,
  openList,
  rows,
  tapOn,
  typeAndSend,
  waitForBubble,
} from "../../test/support/flows";
import type { SimulatedPage } from "../../test/support/simulated-app";
import { type OpenedPage, openPage } from "./capture";
import type { Shot } from "./shots";
import { NAMES, type Story } from "./story";

/** What these shots read of a bubble. */
type Item = { key: string; text: string; system: boolean; status: string; quote: { text: string } | null };
const items = (chat: SimulatedPage) => chat.data.items as Item[];

/** A long-press on the bubble showing `text`, the finger at `clientY`. */
function longPress(chat: SimulatedPage, text: string, clientY: number): void {
  const item = items(chat).find((entry) => entry.text === text);
  if (!item) throw new Error(`no bubble "${text}"`);
  chat.call("onLongPressBubble", { ...tapOn({ key: item.key }), touches: [{ clientY }] });
}

function pick(chat: SimulatedPage, action: string): void {
  chat.call("onMenuAction", tapOn({ action }));
}

/** The book club alice runs (made by the first shot that needs it). */
let bookClubId = "";

async function hikingGroup(story: Story): Promise<OpenedPage> {
  const chat = openPage(story.app("alice"), "chat", { query: { id: story.groupId }, back: true });
  await waitForBubble(chat.page, "记得穿运动鞋 👟");
  await waitUntil("online", () => chat.page.data.banner === "");
  return chat;
}

/** Alice creates the book club (bob, carol, dave), makes bob an admin and writes the announcement. */
async function bookClub(story: Story): Promise<string> {
  if (bookClubId !== "") return bookClubId;
  const alice = story.app("alice");
  const list = await openList(alice);
  list.call("onComposeGroup");
  list.call("onGroupTitleInput", inputOf("读书会 📚"));
  list.call("onGroupMembersInput", inputOf("bob carol dave"));
  await list.call("onCreateGroup");
  bookClubId = lastChatNavigation(alice);
  alice.close(list);
  const info = alice.open("group", { id: bookClubId });
  alice.wx.actionSheetAnswers.push(0); // 设为管理员
  await info.call("onTapMember", tapOn({ id: "bob" }));
  alice.wx.modalAnswers.push({ confirm: true, content: "每周六晚 8 点线上讨论，本月共读《三体》第一部。" });
  await info.call("onEditAnnouncement");
  await waitUntil("bob is an admin", () =>
    (info.data.view as { members: { badge: string }[] }).members.some((m) => m.badge === "管理员"),
  );
  alice.close(info);
  return bookClubId;
}

/** The pictures of issue 13: acting on messages, replies, mentions, the group info page, system lines. */
export const GROUP_SHOTS: Shot[] = [
  {
    name: "chat-long-press-menu",
    what: "alice long-presses bob's message in the hiking group: copy, reply, delete, report",
    async take(story) {
      const chat = await hikingGroup(story);
      longPress(chat.page, "记得穿运动鞋 👟", 352);
      return chat;
    },
  },
  {
    name: "chat-mention-picker",
    what: "alice types @ in the hiking group: the member picker with avatars and names",
    async take(story) {
      const chat = await hikingGroup(story);
      chat.page.call("onInput", inputOf("@"));
      await waitUntil("the picker", () => chat.page.data.mentionOpen === true);
      return chat;
    },
  },
  {
    name: "group-info-owner",
    what: "the book club's info page as its owner: members with owner/admin badges, add/remove, title, announcement, settings, leave and dissolve",
    async take(story) {
      const id = await bookClub(story);
      const info = openPage(story.app("alice"), "group", { query: { id }, back: true });
      await waitUntil("names known", () =>
        (info.page.data.view as { members: { name: string }[] } | null)?.members.some((m) => m.name === NAMES.bob),
      );
      return info;
    },
  },
  {
    name: "chat-system-recall",
    what: "system lines in the book club (admin, announcement, an addition, a rename) and alice's recall with 重新编辑",
    async take(story) {
      const id = await bookClub(story);
      const alice = story.app("alice");
      await story.login("erin");
      const info = alice.open("group", { id });
      alice.wx.modalAnswers.push({ confirm: true, content: "erin" });
      await info.call("onAddMembers");
      alice.wx.modalAnswers.push({ confirm: true, content: "读书会 📚 十二月" });
      await info.call("onEditTitle");
      alice.close(info);
      const chat = openPage(alice, "chat", { query: { id }, back: true });
      await waitUntil("the rename line", () => items(chat.page).some((item) => item.text.includes("十二月")));
      typeAndSend(chat.page, "这周读到第十章，周六聊");
      await waitForBubble(chat.page, "这周读到第十章，周六聊");
      longPress(chat.page, "这周读到第十章，周六聊", 400);
      pick(chat.page, "recall");
      await waitUntil("the recall line", () => items(chat.page).some((item) => item.text === "你撤回了一条消息"));
      return chat;
    },
  },
  {
    name: "chat-muted-all",
    what: "carol in the book club after alice turned on 全员禁言: the grey line, and 全员禁言中 in place of the input bar",
    async take(story) {
      const id = await bookClub(story);
      const alice = story.app("alice");
      const info = alice.open("group", { id });
      await info.call("onToggleMuteAll", { detail: { value: true } });
      alice.close(info);
      const chat = openPage(story.app("carol"), "chat", { query: { id }, back: true });
      await waitUntil("carol's notice", () => chat.page.data.mutedNotice === "全员禁言中");
      await waitUntil("the line", () => items(chat.page).some((item) => item.text.includes("开启了全员禁言")));
      return chat;
    },
    async after(story) {
      const alice = story.app("alice");
      const info = alice.open("group", { id: bookClubId });
      await info.call("onToggleMuteAll", { detail: { value: false } });
      alice.close(info);
    },
  },
  {
    name: "conversations-mention-pinned",
    what: "alice's list: [有人@我] on the hiking group (carol mentioned her), the book club pinned on top",
    async take(story) {
      const carol = story.app("carol");
      const carolGroup = carol.open("chat", { id: story.groupId });
      await waitForBubble(carolGroup, "记得穿运动鞋 👟");
      const original = items(carolGroup).find((item) => item.text.startsWith("周六早上 7 点"));
      carolGroup.call("onLongPressBubble", { ...tapOn({ key: original?.key ?? "" }), touches: [{ clientY: 300 }] });
      pick(carolGroup, "reply");
      carolGroup.call("onInput", inputOf("@"));
      carolGroup.call("onPickMention", tapOn({ id: "alice" }));
      typeAndSend(carolGroup, `${carolGroup.data.input as string}你也一起来吧？`);
      await waitForBubble(carolGroup, `@${NAMES.alice} 你也一起来吧？`);
      carol.close(carolGroup);

      const alice = story.app("alice");
      const info = alice.open("group", { id: await bookClub(story) });
      await info.call("onTogglePin", { detail: { value: true } });
      alice.close(info);
      const list = openPage(alice, "conversations");
      await waitUntil(
        "pinned first, the mention marked",
        () =>
          rows(list.page)[0]?.id === bookClubId &&
          (list.page.data.items as { id: string; mention: string }[]).some(
            (row) => row.id === story.groupId && row.mention !== "",
          ),
      );
      return list;
    },
  },
  {
    name: "chat-reply-mention",
    what: "the hiking group: carol's reply quoting bob, with alice's name highlighted",
    async take(story) {
      const chat = await hikingGroup(story);
      await waitUntil("the reply with its quote", () => items(chat.page).some((item) => item.quote !== null));
      return chat;
    },
  },
];
