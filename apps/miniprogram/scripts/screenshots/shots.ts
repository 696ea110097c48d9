import { waitUntil } from "../../test/support/activity";
import { bubbles, inputOf, rows, tapOn, typeAndSend, waitForBubble } from "../../test/support/flows";
import type { SimulatedPage } from "../../test/support/simulated-app";
import { SimulatedApp } from "../../test/support/simulated-app";
import { WxShim } from "../../test/support/wx-shim";
import { type OpenedPage, openPage } from "./capture";
import { GROUP_SHOTS } from "./group-shots";
import { hillsidePhoto } from "./scene-photo";
import { FORBIDDEN_WORD, NAMES, type Story } from "./story";

/** One picture: its file name (docs/screenshots/<name>.png) and how to bring the page there. */
export interface Shot {
  name: string;
  what: string;
  take(story: Story): Promise<OpenedPage>;
  /** What to undo once the picture is taken (a held upload, a recording still running). */
  after?(story: Story): Promise<void>;
}

/** What the media shots read of a bubble. */
type MediaBubble = { kind: string; status: string; progress: number };
const mediaBubbles = (chat: SimulatedPage) => bubbles(chat) as unknown as MediaBubble[];
const touch = (clientY: number) => ({ touches: [{ clientY }], changedTouches: [{ clientY }] });

/** Alice's chat with bob, online, as the input bar shots start from. */
async function bobChat(story: Story): Promise<OpenedPage> {
  const chat = openPage(story.app("alice"), "chat", { query: { id: story.bobChatId }, back: true });
  await waitUntil("online with bob's messages", () => chat.page.data.banner === "" && bubbles(chat.page).length > 0);
  return chat;
}

/** In order: each starts where the previous ones left the story. */
export const SHOTS: Shot[] = [
  {
    name: "login",
    what: "the login page of a fresh install, dev login offered, a name picked",
    async take(story) {
      const app = SimulatedApp.launch("guest", new WxShim({ serverUrl: story.server.httpUrl }));
      story.apps.set("guest", app);
      const login = openPage(app, "login");
      await waitUntil("dev login offered", () => login.page.data.devAvailable === true);
      login.page.call("onPickName", tapOn({ name: "alice" }));
      return login;
    },
  },
  {
    name: "conversations",
    what: "alice's conversation list: unread badges, a group, times of today, yesterday and earlier",
    async take(story) {
      const list = openPage(story.app("alice"), "conversations");
      // devTools: the server has dev login, so the developer's "发起单聊" (by id) is offered.
      await waitUntil(
        "online with four conversations",
        () => list.page.data.banner === "" && rows(list.page).length === 4 && list.page.data.devTools === true,
      );
      return list;
    },
  },
  {
    name: "conversations-new-group",
    what: "alice fills in the new group form (title and member ids)",
    async take(story) {
      const list = openPage(story.app("alice"), "conversations");
      await waitUntil(
        "online",
        () => list.page.data.banner === "" && rows(list.page).length === 4 && list.page.data.devTools === true,
      );
      list.page.call("onComposeGroup");
      list.page.call("onGroupTitleInput", inputOf("读书会 📚"));
      list.page.call("onGroupMembersInput", inputOf("bob carol"));
      return list;
    },
  },
  {
    name: "chat-direct",
    what: "alice and bob: both sides, a long message, emoji, a time divider, 已读",
    async take(story) {
      const chat = openPage(story.app("alice"), "chat", { query: { id: story.bobChatId }, back: true });
      await waitUntil("the chat shows bob's messages and 已读", () => bubbles(chat.page).at(-1)?.readLabel === "已读");
      return chat;
    },
  },
  {
    name: "chat-group",
    what: "the hiking group: senders' names, alice's answer read by one member, bob typing",
    async take(story) {
      const chat = openPage(story.app("alice"), "chat", { query: { id: story.groupId }, back: true });
      await waitForBubble(chat.page, "记得穿运动鞋 👟");
      typeAndSend(chat.page, "算我一个！我带相机 📷");
      await waitUntil("bob has read it", () => bubbles(chat.page).at(-1)?.readLabel === "1人已读");
      story.bobInGroup?.call("onInput", inputOf("好"));
      await waitUntil("bob is typing", () => chat.page.data.typingText === `${NAMES.bob} 正在输入…`);
      return chat;
    },
  },
  {
    name: "chat-media",
    what: "alice and dave: his report as a file, voice messages of 6″ and 13″ (wider), her photo in its own shape",
    async take(story) {
      const chat = openPage(story.app("alice"), "chat", { query: { id: story.daveChatId }, back: true });
      await waitUntil("the file, two voices and the photo", () => {
        const kinds = mediaBubbles(chat.page)
          .filter((b) => b.status === "sent")
          .map((b) => b.kind);
        return kinds.filter((k) => k === "voice").length === 2 && kinds.includes("file") && kinds.includes("image");
      });
      return chat;
    },
  },
  {
    name: "chat-uploading",
    what: "a second photo on its way: the local picture under the upload's progress",
    async take(story) {
      const alice = story.app("alice");
      const chat = openPage(alice, "chat", { query: { id: story.daveChatId }, back: true });
      await waitUntil("online", () => chat.page.data.banner === "");
      alice.wx.uploadControl.hold();
      alice.wx.media.pickerAnswers.push({
        files: [alice.wx.media.addTempFile({ bytes: await hillsidePhoto() }, "jpg")],
      });
      await chat.page.call("onChooseAlbum");
      await waitUntil("half uploaded", () => mediaBubbles(chat.page).at(-1)?.progress === 50);
      return chat;
    },
    async after(story) {
      story.app("alice").wx.uploadControl.release();
    },
  },
  {
    name: "chat-plus-panel",
    what: "the + panel under the input bar: album, camera, a file from a WeChat chat",
    async take(story) {
      const chat = await bobChat(story);
      chat.page.call("onTogglePlus");
      return chat;
    },
  },
  {
    name: "chat-emoji-panel",
    what: "the emoji panel: a grid of common emoji, two of them typed after the text, 删除 and 发送",
    async take(story) {
      const chat = await bobChat(story);
      chat.page.call("onToggleEmoji");
      chat.page.call("onInput", inputOf("今晚见"));
      chat.page.call("onPickEmoji", tapOn({ emoji: "😋" }));
      chat.page.call("onPickEmoji", tapOn({ emoji: "🎉" }));
      return chat;
    },
  },
  {
    name: "chat-recording",
    what: "holding 按住 说话: the recording overlay (手指上划，取消发送), the button says 松开 发送",
    async take(story) {
      const chat = await bobChat(story);
      chat.page.call("onToggleVoice");
      chat.page.call("onTalkStart", touch(700));
      return chat;
    },
  },
  {
    name: "chat-recording-cancel",
    what: "the finger slid up: the overlay turns red, 松开手指，取消发送",
    async take(story) {
      const chat = await bobChat(story);
      chat.page.call("onToggleVoice");
      chat.page.call("onTalkStart", touch(700));
      chat.page.call("onTalkMove", touch(600));
      return chat;
    },
  },
  {
    name: "profile-setup",
    what: "a first WeChat login: no name yet (the server's placeholder), a '?' tile, the nickname field",
    async take(story) {
      // The server names a new WeChat user "WeChat user"; dev login with that name is the same user.
      const app = await story.login("frank", "WeChat user");
      const profile = openPage(app, "profile", { query: { setup: "1" } });
      return profile;
    },
  },
  {
    name: "profile-privacy",
    what: "tapping the avatar before consenting: our privacy popup with the guide's link",
    async take(story) {
      const app = story.app("frank");
      const profile = openPage(app, "profile", { query: { setup: "1" } });
      app.wx.needPrivacy().catch(() => undefined);
      await waitUntil("popup shown", () => profile.page.data.privacyShown === true);
      return profile;
    },
  },
  {
    name: "profile-me",
    what: "alice's profile from the list's 我: her avatar tile, her name, log out",
    async take(story) {
      return openPage(story.app("alice"), "profile", { back: true });
    },
  },
  {
    name: "invite-group",
    what: "frank opens bob's share card of the hiking group: who invites, the group, its size, join",
    async take(story) {
      const code = await story.groupInviteCode();
      const invite = openPage(story.app("frank"), "invite", { query: { code } });
      await waitUntil("invite loaded", () => invite.page.data.phase === "ready");
      return invite;
    },
  },
  {
    name: "invite-expired",
    what: "a card whose invite was revoked or expired: a clear message",
    async take(story) {
      const invite = openPage(story.app("frank"), "invite", { query: { code: "revoked-or-expired-code-0001" } });
      await waitUntil("invite answered", () => invite.page.data.phase === "expired");
      return invite;
    },
  },
  {
    name: "conversations-empty",
    what: "the list of a new user without conversations",
    async take(story) {
      const app = await story.login("erin");
      const list = openPage(app, "conversations");
      await waitUntil("online", () => list.page.data.banner === "" && list.page.data.devTools === true);
      return list;
    },
  },
  {
    name: "chat-failed-send",
    what: "a message the server refused for good (erin is not in the group): failed, with retry",
    async take(story) {
      const chat = openPage(story.app("erin"), "chat", { query: { id: story.groupId }, back: true });
      typeAndSend(chat.page, "我可以加入吗？🙏");
      await waitUntil("failed", () => bubbles(chat.page).find((bubble) => bubble.status === "failed"));
      return chat;
    },
  },
  {
    name: "chat-content-rejected",
    what: "a text the content check refused: a red mark, 内容违规，未发送 under it, no retry",
    async take(story) {
      const chat = await bobChat(story);
      typeAndSend(chat.page, `需要${FORBIDDEN_WORD}的联系我`);
      await waitUntil("rejected", () => bubbles(chat.page).at(-1)?.status === "failed");
      return chat;
    },
    async after(story) {
      // Later pictures of this chat show no failed bubble.
      const alice = story.app("alice");
      const page = alice.open("chat", { id: story.bobChatId });
      for (const bubble of bubbles(page)) {
        if (bubble.status === "failed") alice.instance.services.chat?.client.discard(bubble.clientMsgId);
      }
      alice.close(page);
    },
  },
  {
    name: "chat-peer-panel",
    what: "the ··· of alice's direct chat with bob: his name and the 加入黑名单 switch (off)",
    async take(story) {
      const chat = await bobChat(story);
      await chat.page.call("onOpenPeer");
      await waitUntil("the panel", () => chat.page.data.peer !== null);
      return chat;
    },
  },
  ...GROUP_SHOTS,
  {
    name: "chat-offline",
    what: "the connection banner while offline, a message waiting in the outbox (发送中)",
    async take(story) {
      const alice = story.app("alice");
      const chat = openPage(alice, "chat", { query: { id: story.bobChatId }, back: true });
      await waitUntil("online", () => chat.page.data.banner === "" && bubbles(chat.page).length > 0);
      alice.wx.goOffline();
      await waitUntil("the offline banner", () => chat.page.data.banner !== "");
      typeAndSend(chat.page, "我到楼下了，信号不太好，到了给你打电话 📞");
      await waitUntil("pending", () => bubbles(chat.page).at(-1)?.status === "pending");
      return chat;
    },
  },
];
