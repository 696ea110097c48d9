import { api, devLogin, startTestServer, TestClient, type TestServer } from "@mpchat/server/testing";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AdminConsolePage } from "./support/admin-page";
import { findChromium, launchChromium, NO_CHROMIUM, openPerson } from "./support/chromium";
import { WebChatPage } from "./support/web-chat-page";

/** The operators' console (/admin/) in a real Chromium against a real server (port 0, SQLite), beside the web chat. */
const chromiumPath = findChromium();
if (!chromiumPath) console.warn(`admin console browser tests skipped: ${NO_CHROMIUM}`);

const ADMIN_TOKEN = "console-test-token-0123456789";

describe.skipIf(!chromiumPath)(
  `the admin console in Chromium${chromiumPath ? "" : ` (skipped: ${NO_CHROMIUM})`}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    const pageErrors: string[][] = [];

    beforeAll(async () => {
      server = await startTestServer({ config: { webChat: true, adminToken: ADMIN_TOKEN } });
      browser = await launchChromium(chromiumPath as string);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });
    afterEach(async () => {
      for (const context of contexts.splice(0)) await context.close();
      expect(pageErrors.splice(0).flat()).toEqual([]);
    });

    async function open(path: string) {
      const opened = await openPerson(browser, `${server.httpUrl}${path}`);
      contexts.push(opened.context);
      pageErrors.push(opened.errors);
      return opened.page;
    }

    async function operator(): Promise<AdminConsolePage> {
      const console = new AdminConsolePage(await open("/admin/"));
      await console.login(ADMIN_TOKEN);
      return console;
    }

    it("refuses a wrong token, keeps the right one in sessionStorage only", async () => {
      const page = await open("/admin/");
      await page.fill('input[name="token"]', "not-the-token");
      await page.click('button[type="submit"]');
      await page.locator(".login-card .error", { hasText: /令牌错误|Wrong token/ }).waitFor();
      // The browser reports the refused call itself (a 401 resource) as a console error: expected here.
      const errors = pageErrors.at(-1) as string[];
      const refused = errors.findIndex((e) => e.includes("401"));
      expect(refused).toBeGreaterThanOrEqual(0);
      errors.splice(refused, 1);
      const console = new AdminConsolePage(page);
      await console.login(ADMIN_TOKEN);
      expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(ADMIN_TOKEN);
      expect(await page.evaluate(() => Object.values(localStorage))).not.toContain(ADMIN_TOKEN);
      await page.reload();
      await page.locator(".admin-header").waitFor();
    });

    it("draws the overview's charts from /v1/admin/stats (non-empty canvases) and shows the store and bus up", async () => {
      const alice = await TestClient.connect(server, "chart-alice");
      await devLogin(server, "chart-bob");
      const conversation = await api(server, alice.token as string).createDirect("chart-bob");
      const console = await operator();
      for (let i = 0; i < 5; i++) {
        const body = { kind: "text", text: `m${i}` } as const;
        expect(
          await alice.request({ type: "send", conversationId: conversation.id, clientMsgId: `c${i}`, body }),
        ).toMatchObject({ type: "ack" });
      }
      await console.page.locator(".badge[data-state='up']").nth(1).waitFor();
      expect(await console.page.locator(".chart canvas").count()).toBe(3);
      // A line needs two samples: the second poll comes 2 s after the first.
      await console.page.waitForFunction(() => document.querySelectorAll(".chart-value").length === 3);
      await console.page.waitForFunction(
        () => {
          const values = Array.from(document.querySelectorAll(".chart-value")).map((e) => e.textContent);
          return values.every((v) => v !== "–");
        },
        undefined,
        { timeout: 10_000 },
      );
      expect(await console.chartsDrawn()).toEqual([true, true, true]);
      await alice.close();
    });

    it("bans a user from the user page: their open web chat is closed at once and says so; the audit log shows it", async () => {
      const chatPage = await open("/");
      const chat = new WebChatPage(chatPage);
      await chat.login("console-banned", "坏人");
      const console = await operator();
      await console.lookUp("console-banned");
      await console.ban("发广告 spam");
      await chatPage.locator('.banner[data-reason="banned"]').waitFor();
      expect(await chatPage.locator("body").getAttribute("data-connection")).not.toBe("online");
      expect(await chatPage.locator(".banner").textContent()).toMatch(/封禁|banned/);

      await console.go("audit");
      const row = console.page.locator("table.audit tbody tr").filter({ hasText: "user.ban" }).first();
      await row.waitFor();
      expect(await row.textContent()).toContain("发广告 spam");
      expect(await row.textContent()).toContain("console-banned");
      // The lookup that led there is audited too, shown only with the read-only calls.
      const rows = console.page.locator("table.audit tbody tr");
      expect(await rows.filter({ hasText: "user.get" }).count()).toBe(0);
      await console.page.check('input[name="withReads"]');
      await rows.filter({ hasText: "user.get" }).first().waitFor();
      expect(await rows.filter({ hasText: "user.ban" }).count()).toBeGreaterThan(0);

      await console.lookUp("console-banned");
      await console.page.click('button[name="unban"]');
      await console.page.locator('.ban-status[data-banned="false"]').waitFor();
    });

    it("lists an open report with its message in the queue; resolving it with a note takes it off the queue", async () => {
      const alice = await TestClient.connect(server, "queue-alice");
      const bob = await TestClient.connect(server, "queue-bob");
      const direct = await api(server, alice.token as string).createDirect("queue-bob");
      const sent = await bob.request({
        type: "send",
        conversationId: direct.id,
        clientMsgId: "bad-1",
        body: { kind: "text", text: "买粉丝 <b>spam</b>" },
      });
      if (sent.type !== "ack") throw new Error("not acked");
      const made = await api(server, alice.token as string).raw("POST", "/v1/reports", {
        conversationId: direct.id,
        messageId: sent.messageId,
        reason: "广告 ads",
      });
      expect(made.status).toBe(201);
      const reportId = (made.body as { report: { id: string } }).report.id;

      const console = await operator();
      await console.go("reports");
      const card = console.page.locator(`.report[data-report="${reportId}"]`);
      await card.waitFor();
      expect(await card.locator(".report-reason").textContent()).toBe("广告 ads");
      expect(await card.locator(".report-message").textContent()).toBe("queue-bob: 买粉丝 <b>spam</b>");
      await card.locator('input[name="note"]').fill("已删除 removed");
      await card.locator('button[type="submit"]').click();
      await card.waitFor({ state: "detached" });
      const [resolved] = (await server.store.listReports({ status: "resolved", limit: 10 })).filter(
        (r) => r.id === reportId,
      );
      expect(resolved).toMatchObject({ status: "resolved", note: "已删除 removed" });
      await Promise.all([alice.close(), bob.close()]);
    });

    it("a report made in the web chat is in the queue; its conversation opens from there; resolving takes it off", async () => {
      const bob = await TestClient.connect(server, "webrep-bob", "小明");
      const chatPage = await open("/");
      const chat = new WebChatPage(chatPage);
      await chat.login("webrep-alice", "爱丽丝");
      await chat.startDirect("webrep-bob");
      const direct = await api(server, bob.token as string).createDirect("webrep-alice");
      const sent = await bob.request({
        type: "send",
        conversationId: direct.id,
        clientMsgId: "scam-1",
        body: { kind: "text", text: "加我微信领红包 💰" },
      });
      expect(sent).toMatchObject({ type: "ack" });
      await chat.waitForStored("加我微信领红包 💰");
      // Her own messages have no 投诉.
      await chat.send("你是谁？");
      await chat.waitForStored("你是谁？");
      expect(await chat.rows("你是谁？").locator('button[name="report"]').count()).toBe(0);
      await chat.report("加我微信领红包 💰", "欺诈骗钱");

      const console = await operator();
      await console.go("reports");
      const card = console.page.locator(".report", { hasText: "加我微信领红包 💰" });
      await card.waitFor();
      expect(await card.locator(".report-reason").textContent()).toBe("欺诈骗钱");
      expect(await card.textContent()).toContain("webrep-alice");
      await card.locator(".conversation-link").click();
      const page = console.page.locator(`.conversation-card[data-conversation="${direct.id}"]`);
      await page.waitFor();
      expect(await page.locator("tr[data-member]").count()).toBe(2);
      expect(await page.textContent()).toMatch(/单聊|Direct/);

      await console.go("reports");
      await card.locator('input[name="note"]').fill("已警告");
      await card.locator('button[type="submit"]').click();
      await card.waitFor({ state: "detached" });
      const reports = await server.store.listReports({ status: "resolved", limit: 50 });
      expect(reports.find((r) => r.reporterId === "webrep-alice")).toMatchObject({
        conversationId: direct.id,
        userId: "webrep-bob",
        reason: "欺诈骗钱",
        note: "已警告",
      });
      await bob.close();
    });

    it("moderates a group from its page (reached from the user page): a removal, then a dissolve the members' web chats see go", async () => {
      const owner = await TestClient.connect(server, "mod-owner", "群主");
      const carol = await TestClient.connect(server, "mod-carol", "卡罗尔");
      const pages = [] as WebChatPage[];
      for (const [id, name] of [
        ["mod-alice", "爱丽丝"],
        ["mod-bob", "鲍勃"],
      ] as const) {
        const chat = new WebChatPage(await open("/"));
        await chat.login(id, name);
        pages.push(chat);
      }
      const [alice, bob] = pages as [WebChatPage, WebChatPage];
      const group = await api(server, owner.token as string).createGroup("违规群 🚫", [
        "mod-alice",
        "mod-bob",
        "mod-carol",
      ]);
      const hello = await owner.request({
        type: "send",
        conversationId: group.id,
        clientMsgId: "hello-1",
        body: { kind: "text", text: "大家好" },
      });
      expect(hello).toMatchObject({ type: "ack" });
      await alice.open("违规群 🚫");
      await bob.page.locator(".conversation", { hasText: "违规群 🚫" }).waitFor();

      const console = await operator();
      await console.lookUp("mod-alice");
      await console.page.locator(".user-card .conversation-link", { hasText: "违规群 🚫" }).click();
      const card = console.page.locator(`.conversation-card[data-conversation="${group.id}"]`);
      await card.waitFor();
      expect(
        await card.locator("tr[data-member]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-role"))),
      ).toEqual(["owner", "member", "member", "member"]);

      const carolGone = carol.waitFor((f) => f.type === "conversation_removed" && f.conversationId === group.id);
      await console.removeMember("mod-carol", "骚扰其他成员");
      await carolGone;
      await card.locator(".notice", { hasText: /卡罗尔/ }).waitFor();

      // A dissolve needs a reason first: nothing is sent without one.
      await console.page.click('button[name="dissolve"]');
      await card.locator(".error", { hasText: /原因|reason/i }).waitFor();
      await console.dissolve("群内发布违法信息");
      expect(await card.locator("tr[data-member]").count()).toBe(0);
      await alice.page.locator('.placeholder.removed[data-reason="dissolved"]').waitFor();
      for (const chat of [alice, bob]) {
        await chat.page.locator(".conversation", { hasText: "违规群 🚫" }).waitFor({ state: "detached" });
      }
      expect(await owner.sendText(group.id, "还在吗")).toMatchObject({ type: "error", code: "forbidden" });

      await console.go("audit");
      const row = console.page.locator("table.audit tbody tr").filter({ hasText: "conversation.dissolve" }).first();
      await row.waitFor();
      expect(await row.textContent()).toContain("群内发布违法信息");
      await Promise.all([owner.close(), carol.close()]);
    });
  },
);
