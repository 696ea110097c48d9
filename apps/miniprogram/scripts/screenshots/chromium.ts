import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { SCREEN_HEIGHT } from "./frame";
import { SCREEN_WIDTH } from "./wxss";

/**
 * Headless Chromium (the system's, e.g. Debian's `chromium`: playwright's own browser builds are
 * not downloaded) that turns a screen document (frame.ts) into a 750 × 1624 PNG: the screen at
 * device scale factor 2, as an iPhone X draws it.
 */

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `no Chromium found (tried ${CANDIDATES.join(", ")}); install it (apt-get install chromium fonts-noto-cjk fonts-noto-color-emoji) or set CHROMIUM_PATH`,
    );
  }
  return found;
}

export class Camera {
  private constructor(
    private readonly browser: Browser,
    private readonly tab: Page,
  ) {}

  /** Requests under `prefix` (the phone's temporary files, e.g. a picture being uploaded) answered from `lookup`. */
  async serveFiles(prefix: string, lookup: (url: string) => Uint8Array | undefined): Promise<void> {
    await this.tab.context().route(`${prefix}/**`, async (route) => {
      const bytes = lookup(route.request().url());
      if (bytes) await route.fulfill({ status: 200, body: Buffer.from(bytes) });
      else await route.fulfill({ status: 404, body: "" });
    });
  }

  /**
   * Requests to `from` (the app's configured server, e.g. http://localhost:3000: image bubbles and
   * avatars) are answered by `to` (the story's server on its real port), as the shim does for the app.
   */
  async route(from: string, to: string): Promise<void> {
    await this.tab.context().route(`${from}/**`, async (route) => {
      const url = to + route.request().url().slice(from.length);
      await route.fulfill({ response: await route.fetch({ url }) });
    });
  }

  static async open(): Promise<Camera> {
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--font-render-hinting=none"],
    });
    const context = await browser.newContext({
      viewport: { width: SCREEN_WIDTH, height: SCREEN_HEIGHT },
      deviceScaleFactor: 2,
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
    });
    return new Camera(browser, await context.newPage());
  }

  /**
   * Shows the screen, scrolls each scroll view of the page to its `scroll-into-view` target, and
   * writes the PNG. Fails when the page rendered nothing (no visible text or no height).
   */
  async shoot(screen: string, path: string): Promise<void> {
    await this.tab.setContent(screen, { waitUntil: "load" });
    const frame = this.tab.frame({ url: "about:srcdoc" }) ?? this.tab.frames()[1];
    if (!frame) throw new Error("the page iframe did not load");
    await frame.waitForLoadState("load");
    const rendered = await frame.evaluate(async () => {
      await document.fonts.ready;
      for (const view of Array.from(document.querySelectorAll("wx-scroll-view[scroll-into-view]"))) {
        const id = view.getAttribute("scroll-into-view");
        const target = id ? document.getElementById(id) : null;
        if (!(view instanceof HTMLElement) || !target) continue;
        // As WeChat does: the target's top at the view's top, as far as the content allows.
        view.scrollTop += target.getBoundingClientRect().top - view.getBoundingClientRect().top;
      }
      const root = document.body.firstElementChild;
      return {
        // biome-ignore lint/performance/useDomNodeTextContent: the text as drawn is wanted, hidden text must not count
        text: document.body.innerText.trim().length,
        height: root ? root.getBoundingClientRect().height : 0,
      };
    });
    await this.tab.evaluate(() => document.fonts.ready.then(() => undefined));
    if (rendered.text === 0 || rendered.height === 0) {
      throw new Error(`the page rendered nothing (text: ${rendered.text} chars, height: ${rendered.height}px)`);
    }
    await this.tab.screenshot({ path, type: "png" });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
