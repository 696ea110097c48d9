import { join } from "node:path";
import { api, devLogin, startTestServer, TestClient, type TestServer } from "@mpchat/server/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findChromium, launchChromium, NO_CHROMIUM, openPerson } from "../test/support/chromium";
import { WebChatPage } from "../test/support/web-chat-page";

/**
 * The web chat's screenshots: one server whose clock the scene moves (so that times read
 * 11月28日, 昨天, 09:12), conversations made through the API as their users, and the viewer (李雷)
 * driving the page as a person would. The browser's clock is fixed at the scene's "now".
 */
const OUT = join(import.meta.dirname, "..", "..", "..", "docs", "screenshots");
const at = (iso: string) => new Date(`${iso}+08:00`).getTime();
const NOW = at("2026-11-30T11:30:00");

let server: TestServer;
let clock = at("2026-11-28T10:05:00");
const chromiumPath = findChromium();
if (!chromiumPath) throw new Error(NO_CHROMIUM);

beforeAll(async () => {
  server = await startTestServer({ config: { webChat: true }, deps: { now: () => clock } });
});
afterAll(async () => {
  await server?.close();
});

async function say(sender: TestClient, conversationId: string, when: string, body: Record<string, unknown>) {
  clock = at(when);
  const answer = await sender.request({ type: "send", conversationId, clientMsgId: `s${clock}`, body } as never);
  if (answer.type !== "ack") throw new Error(`send refused: ${JSON.stringify(answer)}`);
  return answer.seq;
}

/** A PNG drawn by Chromium's canvas (a landscape), uploaded as `token`'s user. */
async function landscape(page: Page, token: string): Promise<{ id: string }> {
  const base64 = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 960;
    canvas.height = 640;
    const g = canvas.getContext("2d") as CanvasRenderingContext2D;
    const sky = g.createLinearGradient(0, 0, 0, 640);
    sky.addColorStop(0, "#7ec8f5");
    sky.addColorStop(1, "#fde7b0");
    g.fillStyle = sky;
    g.fillRect(0, 0, 960, 640);
    g.fillStyle = "#f6a623";
    g.beginPath();
    g.arc(690, 190, 70, 0, Math.PI * 2);
    g.fill();
    for (const [color, peaks] of [
      ["#6aa77a", [0, 640, 180, 300, 380, 470, 560, 260, 760, 420, 960, 330, 960, 640]],
      ["#3f7f52", [0, 640, 0, 520, 240, 380, 470, 560, 700, 430, 960, 560, 960, 640]],
    ] as const) {
      g.fillStyle = color;
      g.beginPath();
      for (let i = 0; i < peaks.length; i += 2) g.lineTo(peaks[i] ?? 0, peaks[i + 1] ?? 0);
      g.closePath();
      g.fill();
    }
    return canvas.toDataURL("image/png").split(",")[1] ?? "";
  });
  const form = new FormData();
  form.append("kind", "image");
  form.append("clientMediaId", "landscape");
  form.append("file", new Blob([Buffer.from(base64, "base64")]), "huangshan.png");
  const answer = await fetch(`${server.httpUrl}/v1/media`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return ((await answer.json()) as { media: { id: string } }).media;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // biome-ignore lint/performance/useDomNodeTextContent: the text as drawn is wanted
  const text = await page.evaluate(() => document.body.innerText.trim().length);
  expect(text, `${name} rendered no text`).toBeGreaterThan(0);
  await page.screenshot({ path: join(OUT, name), type: "png" });
}

it("draws the web chat: login, the conversation list, a group chat, a direct chat offline", async () => {
  const browser = await launchChromium(chromiumPath);
  try {
    const users = [
      ["lilei", "李雷"],
      ["hanmeimei", "韩梅梅"],
      ["wangxm", "王小明"],
      ["tom", "Tom"],
      ["zhaolei", "赵磊"],
    ] as const;
    const tokens: Record<string, string> = {};
    for (const [id, name] of users) tokens[id] = (await devLogin(server, id, name)).token;
    const as = (id: string) => api(server, tokens[id] ?? "");
    const han = await TestClient.connect(server, "hanmeimei", "韩梅梅");
    const wang = await TestClient.connect(server, "wangxm", "王小明");
    const tom = await TestClient.connect(server, "tom", "Tom");
    const zhao = await TestClient.connect(server, "zhaolei", "赵磊");
    const lilei = await TestClient.connect(server, "lilei", "李雷");

    const old = await as("zhaolei").createDirect("lilei");
    await say(zhao, old.id, "2026-11-28T10:05:00", { kind: "text", text: "周末的资料我发你邮箱了" });
    const tomChat = await as("tom").createDirect("lilei");
    await say(tom, tomChat.id, "2026-11-29T20:14:00", { kind: "text", text: "See you at the meetup tomorrow 👋" });
    const trip = await as("hanmeimei").createGroup("周末爬山小分队 ⛰️", ["lilei", "wangxm", "tom"]);
    await say(han, trip.id, "2026-11-30T09:12:00", { kind: "text", text: "大家早！周六去黄山，天气预报说是晴天 ☀️" });
    const question = await say(wang, trip.id, "2026-11-30T09:13:30", {
      kind: "text",
      text: "太好了，几点集合？我可以开车，车上还能坐三个人。",
    });
    await say(tom, trip.id, "2026-11-30T09:15:00", { kind: "text", text: "Count me in! 我带相机 📷" });
    await say(lilei, trip.id, "2026-11-30T09:16:00", {
      kind: "text",
      text: "早上七点在地铁站 B 口集合吧",
      replyTo: { seq: question },
    });
    const scout = await openPerson(browser, "about:blank");
    const photo = await landscape(scout.page, tokens.hanmeimei ?? "");
    await scout.context.close();
    await say(han, trip.id, "2026-11-30T10:02:00", { kind: "image", mediaId: photo.id, width: 960, height: 640 });
    await say(han, trip.id, "2026-11-30T10:02:30", { kind: "text", text: "上次拍的，这次争取看到日出 🌅" });
    await say(wang, trip.id, "2026-11-30T11:20:00", { kind: "text", text: "收到，我提前十分钟到 👌" });
    for (const client of [han, wang, tom, zhao, lilei]) await client.close();
    clock = NOW;

    const viewer = await openPerson(browser, "about:blank");
    await viewer.page.clock.setFixedTime(new Date(NOW));
    await viewer.page.goto(server.httpUrl);
    const chat = new WebChatPage(viewer.page);
    await viewer.page.locator('input[name="userId"]').fill("lilei");
    await viewer.page.locator('input[name="name"]').fill("李雷");
    await shoot(viewer.page, "web-login.png");
    await chat.login("lilei", "李雷");
    await viewer.page.locator(".conversation", { hasText: "周末爬山小分队" }).waitFor();
    await viewer.page.locator(".conversation", { hasText: "赵磊" }).waitFor();
    await shoot(viewer.page, "web-conversations.png");

    await chat.open("周末爬山小分队 ⛰️");
    await chat.waitForStored("收到，我提前十分钟到");
    await viewer.page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>("img.message-image")).every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    await viewer.page.fill('textarea[name="text"]', "我带点吃的 🍙");
    await shoot(viewer.page, "web-chat-group.png");

    await chat.open("Tom");
    await viewer.page.context().setOffline(true);
    await viewer.page.locator('body[data-connection="offline"]').waitFor();
    await chat.send("Sure, see you there!");
    await viewer.page.locator(".row.pending", { hasText: "Sure, see you there!" }).waitFor();
    await shoot(viewer.page, "web-chat-offline.png");
    await viewer.page.context().setOffline(false);
    await chat.waitForStored("Sure, see you there!");
    expect(viewer.errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
