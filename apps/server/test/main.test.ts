import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ServerProcess } from "./support/server-process";

const SERVER_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Runs main.ts to completion with only `env`; resolves with its exit code and output. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("main", () => {
  let dataDir = "";
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses to start on a bad setting, naming the variable", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-main-"));
    const result = await runMain({ DATA_DIR: dataDir, PORT: "not-a-port" });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/PORT: must be an integer/);
  });

  it("refuses to start when the database cannot be reached, naming DATABASE_URL without its password", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-main-"));
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const result = await runMain({
      DATA_DIR: dataDir,
      DATABASE_URL: "mysql://root:hunter2@127.0.0.1:1/mpchat",
      DB_TIMEOUT_MS: "2000",
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain("cannot open the store at DATABASE_URL (mysql://root:***@127.0.0.1:1/mpchat)");
    expect(result.output).not.toContain("hunter2");
  });

  it("starts on the embedded store with dev login on and warns about it, then stops on SIGINT", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-main-"));
    // Built web pages (a stand-in for apps/web/dist): the start prints where to open the web chat.
    const pages = join(dataDir, "pages");
    await mkdir(pages);
    await writeFile(join(pages, "index.html"), "<!doctype html><title>mpchat</title>");
    const server = await ServerProcess.start("server", { DATA_DIR: dataDir, WEB_DIR: pages });
    try {
      const ready = await fetch(`${server.httpUrl}/readyz`);
      expect(ready.status).toBe(200);
      const warning = server.logs.find((line) => line.msg?.includes("dev login is ON"));
      expect(warning?.level).toBe(40);
      const address = server.logs.find((line) => line.msg?.startsWith("web chat: open"));
      expect(address?.msg).toBe(`web chat: open ${server.httpUrl}/ in two tabs and log in as two users`);
      expect((await fetch(`${server.httpUrl}/`)).status).toBe(200);
      server.signal("SIGINT");
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      await server.kill9();
    }
  });
});
