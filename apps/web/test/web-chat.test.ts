import { api, devLogin, startTestServer, type TestServer } from "@mpchat/server/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findChromium, launchChromium, NO_CHROMIUM, openPerson } from "./support/chromium";
import { WebChatPage } from "./support/web-chat-page";

/**
 * The web chat in a real Chromium against a real server (port 0, SQLite): the built pages
 * (dist/, `pnpm test` builds them first) served by the server itself, as `pnpm start` does.
 */
const chromiumPath = findChromium();
if (!chromiumPath) console.warn(`web chat browser tests skipped: ${NO_CHROMIUM}`);

describe.skipIf(!chromiumPath)(`the web chat in Chromium${chromiumPath ? "" : ` (skipped: ${NO_CHROMIUM})`}`, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];

  beforeAll(async () => {
    server = await startTestServer({ config: { webChat: true } });
    browser = await launchChromium(chromiumPath as string);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    // No CSP refusal, no uncaught error in any page of the test.
    expect(pageErrors.splice(0).flat()).toEqual([]);
  });

  async function person(userId: string, name: string): Promise<WebChatPage> {
    const opened = await openPerson(browser, server.httpUrl);
    contexts.push(opened.context);
    pageErrors.push(opened.errors);
    const chat = new WebChatPage(opened.page);
    await chat.login(userId, name);
    return chat;
  }

  it("is served at / with a CSP that allows no inline script, and leaves the API's routes alone", async () => {
    const page = await fetch(`${server.httpUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'(;|$)/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const answers = await Promise.all(
      ["/healthz", "/readyz", "/metrics", "/v1/no-such-route", "/no-such-page.js"].map(
        async (path) => [path, (await fetch(`${server.httpUrl}${path}`)).status] as const,
      ),
    );
    expect(answers).toEqual([
      ["/healthz", 200],
      ["/readyz", 200],
      ["/metrics", 200],
      ["/v1/no-such-route", 404],
      ["/no-such-page.js", 404],
    ]);
  });

  it("two users in two pages see each other's messages, replies included", async () => {
    const alice = await person("w_alice", "小明");
    const bob = await person("w_bob", "Bob");
    await alice.startDirect("w_bob");
    await alice.send("你好 Bob 😀");
    await alice.waitForStored("你好 Bob 😀");

    await bob.open("小明");
    await bob.waitForStored("你好 Bob 😀");
    await bob.reply("你好 Bob 😀", "Hi 小明, got it");

    await alice.waitForStored("Hi 小明, got it");
    const quote = alice.rows("Hi 小明, got it").locator(".quote");
    expect(await quote.textContent()).toBe("小明: 你好 Bob 😀");
    // The replier's own copy quotes the original too (its ack carries no body: the page has the original).
    // Read once acked: until then the pending row and the stored one may both be on the page.
    await bob.waitForStored("Hi 小明, got it");
    expect(await bob.rows("Hi 小明, got it").locator(".quote").textContent()).toBe("小明: 你好 Bob 😀");
    expect(await alice.rows("你好 Bob 😀").count()).toBe(1);
    expect(await bob.rows("Hi 小明, got it").count()).toBe(1);
  });

  it("a page that goes offline keeps its send in the outbox and delivers it once when back", async () => {
    const alice = await person("o_alice", "Alice");
    const bob = await person("o_bob", "Bob");
    await alice.startDirect("o_bob");
    await alice.send("before");
    await bob.open("Alice");
    await bob.waitForStored("before");

    await alice.page.context().setOffline(true);
    await alice.page.locator('body[data-connection="offline"]').waitFor();
    await alice.send("离线时写的消息");
    await alice.page.locator(".row.pending", { hasText: "离线时写的消息" }).waitFor();
    const kept = await alice.storedOutbox("o_alice");
    expect(kept.map((entry) => entry.body.text)).toEqual(["离线时写的消息"]);

    await alice.page.context().setOffline(false);
    await alice.waitForStored("离线时写的消息");
    await bob.waitForStored("离线时写的消息");
    expect(await alice.storedOutbox("o_alice")).toEqual([]);
    expect(await alice.rows("离线时写的消息").count()).toBe(1);
    expect(await bob.rows("离线时写的消息").count()).toBe(1);
    // Stored once on the server too, whatever the reconnect resent.
    const { token } = await devLogin(server, "o_bob");
    const [conversation] = await api(server, token).conversations();
    const history = await api(server, token).history(conversation?.id ?? "");
    expect(history.messages.filter((m) => m.body.kind === "text" && m.body.text === "离线时写的消息")).toHaveLength(1);
  });

  it("an image sent in one page shows in the other", async () => {
    const alice = await person("i_alice", "Alice");
    const bob = await person("i_bob", "Bob");
    await alice.createGroup("看图群", ["i_bob"]);
    await alice.sendDrawnImage(640, 420);
    await alice.page.locator(".row[data-seq] img.message-image").waitFor();

    await bob.open("看图群");
    const image = bob.page.locator(".row[data-seq] img.message-image");
    await image.waitFor();
    // Loaded (the thumbnail with the media token), in the shape of the stored image.
    await bob.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>(".row[data-seq] img.message-image");
      return img?.complete === true && img.naturalWidth > 0;
    });
    const size = await image.evaluate((img: HTMLImageElement) => ({ w: img.naturalWidth, h: img.naturalHeight }));
    expect(size.w).toBeGreaterThan(size.h);
    expect(size.w).toBeLessThanOrEqual(360);
  });
});
