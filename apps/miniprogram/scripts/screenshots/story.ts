import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, type TestServer } from "@mpchat/server/testing";
import { waitUntil } from "../../test/support/activity";
import {
  bubbles,
  inputOf,
  lastChatNavigation,
  launchAndDevLogin,
  openList,
  rows,
  typeAndSend,
  waitForBubble,
} from "../../test/support/flows";
import { pdfBytes, voiceClip } from "../../test/support/media-fixtures";
import { sendChatFile, sendPhoto, sendVoice } from "../../test/support/media-flows";
import type { SimulatedApp, SimulatedPage } from "../../test/support/simulated-app";
import type { SceneClock } from "./scene-clock";
import { hillsidePhoto } from "./scene-photo";

/**
 * The data the screenshots show, made the way people make it: apps logged in by dev login, talking
 * to a real server through the same helpers as the simulate tests, on the scene clock. Alice is the
 * phone in the pictures; over three days she has a direct chat with dave (11月28日: his report as a
 * file and a voice message, her voice answer and a photo; sent from the input bar), a hiking
 * group (昨天), an evening and a morning chat with bob (昨天, 09:12) and two unread messages from carol (10:05).
 */
/** What the people in the pictures call themselves (typed as the nickname at dev login). */
export const NAMES: Readonly<Record<string, string>> = {
  alice: "林小雨",
  bob: "王浩",
  carol: "陈静",
  dave: "张伟 David",
  erin: "Erin",
};

/** A word of the story server's local word list (CONTENT_WORDLIST): a text with it is refused. */
export const FORBIDDEN_WORD = "代开发票";

export class Story {
  readonly apps = new Map<string, SimulatedApp>();
  bobChatId = "";
  daveChatId = "";
  groupId = "";
  /** Bob keeps the group open (he reads what arrives, and types in the group picture). */
  bobInGroup: SimulatedPage | undefined;
  private constructor(
    readonly server: TestServer,
    readonly clock: SceneClock,
  ) {}

  static async start(clock: SceneClock): Promise<Story> {
    const wordListPath = join(await mkdtemp(join(tmpdir(), "mpchat-story-words-")), "words.txt");
    await writeFile(wordListPath, `${FORBIDDEN_WORD}\n`);
    const content = {
      mode: "off",
      webhookUrl: undefined,
      wordListPath,
      review: "allow",
      onError: "retry",
      timeoutMs: 3000,
    } as const;
    const server = await startTestServer({ config: { devLogin: true, content }, deps: { now: clock.now } });
    return new Story(server, clock);
  }

  async login(name: string, displayName: string | undefined = NAMES[name]): Promise<SimulatedApp> {
    const app = await launchAndDevLogin(this.server.httpUrl, name, displayName);
    this.apps.set(name, app);
    return app;
  }

  app(name: string): SimulatedApp {
    const app = this.apps.get(name);
    if (!app) throw new Error(`${name} is not logged in`);
    return app;
  }

  /** `from` starts a direct chat with `to` from the list (by id, as the app does today). */
  private async direct(from: string, to: string): Promise<{ id: string; chat: SimulatedPage }> {
    const app = this.app(from);
    const list = await openList(app);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf(to));
    await list.call("onCreateDirect");
    const id = lastChatNavigation(app);
    app.close(list);
    return { id, chat: app.open("chat", { id }) };
  }

  private async say(chat: SimulatedPage, ...texts: string[]): Promise<void> {
    for (const text of texts) {
      typeAndSend(chat, text);
      await waitForBubble(chat, text);
    }
  }

  /** Everything before the pictures are taken. */
  async tell(): Promise<void> {
    const { clock } = this;
    clock.at("20:15", 3);
    for (const name of ["alice", "bob", "carol", "dave"]) {
      // They agreed to the privacy guide on an earlier day (frank, new, meets the popup).
      (await this.login(name)).wx.privacyAgreed = true;
    }

    // 11月28日: dave sends his report; alice reads and answers.
    // Media go through the input bar: a file from a WeChat chat, hold-to-talk, the album.
    const dave = await this.direct("dave", "alice");
    this.daveChatId = dave.id;
    await this.say(dave.chat, "周报我发你邮箱了，也传一份在这里 📎");
    await sendChatFile(dave.chat, "第48周工作周报-张伟.pdf", pdfBytes());
    await sendVoice(dave.chat, await voiceClip(3), 6000);
    const aliceWithDave = this.app("alice").open("chat", { id: dave.id });
    await waitUntil("alice has dave's file and voice", () => bubbles(aliceWithDave).length === 3);
    await this.say(aliceWithDave, "收到，明天上午给你反馈 👌");
    await sendVoice(aliceWithDave, await voiceClip(6), 12000);
    await sendPhoto(aliceWithDave, await hillsidePhoto());
    await this.say(aliceWithDave, "周末去香山拍的，红叶正好 🍁");
    await waitForBubble(dave.chat, "周末去香山拍的，红叶正好 🍁");
    this.app("alice").close(aliceWithDave);
    this.app("dave").close(dave.chat);

    // 昨天: bob's hiking group; alice has not opened it yet.
    clock.at("21:40", 1);
    const bobList = await openList(this.app("bob"));
    bobList.call("onComposeGroup");
    bobList.call("onGroupTitleInput", inputOf("周末爬山 🏔️ 香山红叶季"));
    bobList.call("onGroupMembersInput", inputOf("alice carol dave"));
    await bobList.call("onCreateGroup");
    this.groupId = lastChatNavigation(this.app("bob"));
    this.app("bob").close(bobList);
    const group = (name: string) => this.app(name).open("chat", { id: this.groupId });
    const bobGroup = group("bob");
    this.bobInGroup = bobGroup;
    await this.say(bobGroup, "周六早上 7 点，地铁 2 号线龙阳路站 A 口集合，别迟到哦！");
    const carolGroup = group("carol");
    await this.say(carolGroup, "我带水和零食 🍎🍌");
    const daveGroup = group("dave");
    await this.say(daveGroup, "天气预报说周六多云，15~22 度，很适合爬山 ⛰️");
    await this.say(bobGroup, "记得穿运动鞋 👟");
    await waitForBubble(carolGroup, "记得穿运动鞋 👟");
    await waitForBubble(daveGroup, "记得穿运动鞋 👟");
    this.app("carol").close(carolGroup);
    this.app("dave").close(daveGroup);

    // 昨天 22:05: bob asks alice out for dinner.
    clock.at("22:05", 1);
    const bob = await this.direct("bob", "alice");
    this.bobChatId = bob.id;
    await this.say(bob.chat, "明天晚上有空吗？一起吃个饭 🍜");
    const aliceWithBob = this.app("alice").open("chat", { id: bob.id });
    await waitForBubble(aliceWithBob, "明天晚上有空吗？一起吃个饭 🍜");
    await this.say(aliceWithBob, "有空呀，吃什么？");
    await this.say(bob.chat, "上次说的那家云南菜？我来订位子");
    await this.say(aliceWithBob, "好 😋");

    // Today 09:12: bob writes in the morning; alice answers; bob has read everything.
    clock.at("09:12");
    await this.say(
      bob.chat,
      "早上好 ☀️",
      "昨天说的那家云南菜馆我订好位子了，今晚 7 点，在静安寺那边，南京西路 1788 号 2 楼靠窗的位置。要是你下班晚的话提前跟我说一声，我可以把时间往后挪半个小时 🙂",
    );
    await waitForBubble(aliceWithBob, "早上好 ☀️");
    await this.say(aliceWithBob, "太好了！我 6 点半就能到 🎉");
    await this.say(bob.chat, "👍👍👍");
    clock.at("09:20");
    const last = "对了，要不要叫上陈静一起？她上次说也想去试试";
    await this.say(aliceWithBob, last);
    await waitForBubble(bob.chat, last);
    await waitUntil("bob has read alice's last message", () =>
      bubbles(aliceWithBob).find((bubble) => bubble.text === last && bubble.readLabel === "已读"),
    );
    this.app("alice").close(aliceWithBob);

    // 10:05: carol, twice, unread.
    clock.at("10:05");
    const carol = await this.direct("carol", "alice");
    await this.say(carol.chat, "下午三点的会改到 301 会议室了", "PPT 我放群文件里了，记得看 📄");
    this.app("carol").close(carol.chat);

    clock.at("10:30");
    const aliceList = await openList(this.app("alice"));
    await waitUntil("alice's list has everything", () => {
      const unread = rows(aliceList).map((row) => row.unread);
      return unread.length === 4 && unread.join() === "2,0,4,0";
    });
    this.app("alice").close(aliceList);
  }

  /** A temporary file of any of the story's phones (a picked picture), by its path. */
  tempFile(path: string): Uint8Array | undefined {
    for (const app of this.apps.values()) {
      const file = app.wx.media.files.get(path);
      if (file) return file.bytes;
    }
    return undefined;
  }

  /** The code of the card bob shares from the group (his share button in the open chat). */
  async groupInviteCode(): Promise<string> {
    const chat = this.bobInGroup;
    if (!chat) throw new Error("bob is not in the group");
    const card = chat.call("onShareAppMessage") as { path: string; promise?: Promise<{ path: string }> };
    const path = card.promise ? (await card.promise).path : card.path;
    return decodeURIComponent(path.slice(path.indexOf("code=") + "code=".length));
  }

  async close(): Promise<void> {
    for (const app of this.apps.values()) app.shutdown();
    await this.server.close();
  }
}
