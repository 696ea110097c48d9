import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server";

/** WEB_CHAT: the built pages at `/`, beside the API, which must answer as before. */
describe("the web pages (WEB_CHAT)", () => {
  let pages: string;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    pages = await mkdtemp(join(tmpdir(), "mpchat-pages-"));
    await mkdir(join(pages, "assets"));
    await writeFile(
      join(pages, "index.html"),
      '<!doctype html><script type="module" src="/assets/chat-1.js"></script>',
    );
    await writeFile(join(pages, "assets", "chat-1.js"), "console.log('chat')");
    await mkdir(join(pages, "admin"));
    await writeFile(
      join(pages, "admin", "index.html"),
      '<!doctype html><script type="module" src="/assets/admin-1.js"></script>',
    );
    await writeFile(join(pages, "assets", "admin-1.js"), "console.log('admin')");
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await rm(pages, { recursive: true, force: true });
  });

  async function serverWith(webChat: boolean, webDir = pages): Promise<TestServer> {
    const server = await startTestServer({ config: { webChat, webDir } });
    servers.push(server);
    return server;
  }

  it("serves index.html at / and the assets, with a CSP and cache headers, and leaves every other route alone", async () => {
    const server = await serverWith(true);
    const page = await fetch(`${server.httpUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const asset = await fetch(`${server.httpUrl}/assets/chat-1.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    const others = await Promise.all(
      [
        ["GET", "/healthz"],
        ["GET", "/readyz"],
        ["GET", "/metrics"],
        ["GET", "/v1/conversations"],
        ["GET", "/v1/no-such-route"],
        ["GET", "/assets/missing.js"],
        ["GET", "/../package.json"],
        ["GET", "/assets/../../package.json"],
        ["POST", "/"],
      ].map(async ([method, path]) => {
        const answer = await fetch(`${server.httpUrl}${path}`, { method });
        return [path, answer.status, answer.headers.get("content-type")?.split(";")[0]];
      }),
    );
    expect(others).toEqual([
      ["/healthz", 200, "application/json"],
      ["/readyz", 200, "application/json"],
      ["/metrics", 200, "text/plain"],
      ["/v1/conversations", 401, "application/json"],
      ["/v1/no-such-route", 404, "application/json"],
      ["/assets/missing.js", 404, "application/json"],
      ["/../package.json", 404, "application/json"],
      ["/assets/../../package.json", 404, "application/json"],
      ["/", 404, "application/json"],
    ]);
  });

  it("serves nothing at / when WEB_CHAT is off, or when the pages were not built", async () => {
    for (const server of [await serverWith(false), await serverWith(true, join(pages, "not-built"))]) {
      const page = await fetch(`${server.httpUrl}/`);
      expect(page.status).toBe(404);
      expect(await page.json()).toMatchObject({ error: { code: "not_found" } });
      expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    }
  });

  it("serves the console at /admin/ exactly while ADMIN_TOKEN is set, whatever WEB_CHAT says", async () => {
    const statusOf = async (server: TestServer, path: string) => (await fetch(`${server.httpUrl}${path}`)).status;
    const cases: [boolean, boolean][] = [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ];
    for (const [webChat, admin] of cases) {
      const server = await startTestServer({
        config: { webChat, webDir: pages, ...(admin ? { adminToken: "console-token-0123456789" } : {}) },
      });
      servers.push(server);
      const answers = {
        webChat,
        admin,
        console: await statusOf(server, "/admin/"),
        consoleFile: await statusOf(server, "/admin/index.html"),
        consoleScript: await statusOf(server, "/assets/admin-1.js"),
        chat: await statusOf(server, "/"),
      };
      expect(answers).toEqual({
        webChat,
        admin,
        console: admin ? 200 : 404,
        consoleFile: admin ? 200 : 404,
        consoleScript: admin || webChat ? 200 : 404,
        chat: webChat ? 200 : 404,
      });
    }
  });
});
