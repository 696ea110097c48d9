import { join } from "node:path";
import { api, devLogin, startTestServer, TestClient, type TestServer } from "@mpchat/server/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AdminConsolePage } from "../test/support/admin-page";
import { findChromium, launchChromium, NO_CHROMIUM, openPerson } from "../test/support/chromium";

/**
 * The console's screenshots (docs/screenshots/admin-*.png): a server with a few users, some
 * traffic while the overview's charts sample it, a ban with its reason, a group's page with its
 * dissolve about to be confirmed, and the audit log.
 */
const OUT = join(import.meta.dirname, "..", "..", "..", "docs", "screenshots");
const ADMIN_TOKEN = "screenshot-admin-token-0123456789";

let server: TestServer;
const chromiumPath = findChromium();
if (!chromiumPath) throw new Error(NO_CHROMIUM);

beforeAll(async () => {
  server = await startTestServer({ config: { webChat: true, adminToken: ADMIN_TOKEN } });
});
afterAll(async () => {
  await server?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `admin-${name}.png`) });
}

it("draws the console: login, overview, user page, conversation page, audit log", async () => {
  const browser = await launchChromium(chromiumPath as string);
  try {
    const { page, errors } = await openPerson(browser, `${server.httpUrl}/admin/`);
    await shoot(page, "login");
    const console = new AdminConsolePage(page);
    await console.login(ADMIN_TOKEN);

    const people = await Promise.all(["lilei", "hanmeimei", "spammer"].map((id) => TestClient.connect(server, id)));
    const [lilei, hanmeimei] = people as [TestClient, TestClient, TestClient];
    await devLogin(server, "spammer", "广告机器人");
    const direct = await api(server, lilei.token as string).createDirect("hanmeimei");
    const group = await api(server, lilei.token as string).createGroup("周末爬山", ["hanmeimei", "spammer"]);
    // Traffic across several samples, so the charts draw lines, not dots.
    for (let round = 0; round < 6; round++) {
      const samples = page.waitForResponse((r) => r.url().endsWith("/v1/admin/stats"));
      for (let i = 0; i < 4 + round * 3; i++) {
        const body = { kind: "text", text: `msg ${round}-${i}` } as const;
        const sender = i % 2 === 0 ? lilei : hanmeimei;
        const conversationId = i % 3 === 0 ? group.id : direct.id;
        await sender.request({ type: "send", conversationId, clientMsgId: `r${round}-${i}`, body });
      }
      await samples;
    }
    expect(await console.chartsDrawn()).toEqual([true, true, true]);
    await shoot(page, "overview");

    await console.lookUp("spammer");
    await console.ban("群发广告链接 / posting ad links");
    await shoot(page, "user");

    // The group's page, opened from the user page's list, with the dissolve about to be confirmed.
    await api(server, lilei.token as string).setAdmin(group.id, "hanmeimei", true);
    await page.locator(".user-card .conversation-link", { hasText: "周末爬山" }).click();
    await page.locator(`.conversation-card[data-conversation="${group.id}"]`).waitFor();
    await page.fill('.conversation-card input[name="reason"]', "群内发布广告 / ads in the group");
    await page.click('button[name="dissolve"]');
    await page.locator(".dissolve-confirm").waitFor();
    await shoot(page, "conversation");

    await console.go("audit");
    await page.locator("table.audit tbody tr").first().waitFor();
    await shoot(page, "audit");
    expect(errors).toEqual([]);
    for (const person of people) await person.close();
  } finally {
    await browser.close();
  }
});
