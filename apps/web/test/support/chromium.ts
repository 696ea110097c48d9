import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/**
 * The system's Chromium (Debian's `chromium`, installed by .ci/run): playwright's own browser
 * builds cannot be downloaded here. CHROMIUM_PATH overrides.
 */
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

export const NO_CHROMIUM = `no Chromium at ${process.env.CHROMIUM_PATH ?? CANDIDATES.join(", ")}: install it (apt-get install chromium fonts-noto-cjk) or set CHROMIUM_PATH`;

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"] });
}

/** One person's browser: its own storage (so two contexts are two users), a desktop window. */
export async function openPerson(
  browser: Browser,
  url: string,
  scale = 1,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: scale,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const page = await context.newPage();
  // What the page itself reports: a CSP refusal or an uncaught error fails the test that reads it.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { context, page, errors };
}
