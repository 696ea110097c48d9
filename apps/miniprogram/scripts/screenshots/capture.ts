import { readFileSync } from "node:fs";
import { join } from "node:path";
import { distDir, type SimulatedApp, type SimulatedPage } from "../../test/support/simulated-app";
import { frameDocument } from "./frame";
import { pageDocument } from "./page-html";
import { WECHAT_CSS } from "./wechat-css";
import { convertWxss, inlineImports } from "./wxss";

/** A page of a simulated app, with what the frame needs to know about how it was opened. */
export interface OpenedPage {
  readonly page: SimulatedPage;
  readonly name: PageName;
  /** Opened with navigateTo from another page: the navigation bar has a back arrow. */
  readonly back: boolean;
  /** How many UI calls the app had made before: later setNavigationBarTitle calls are this page's. */
  readonly uiCallsBefore: number;
}

export type PageName = Parameters<SimulatedApp["open"]>[0];

interface WindowJson {
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: "black" | "white";
}

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8"));

/** Opens a page as the scenes do, remembering what the navigation bar shows. */
export function openPage(
  app: SimulatedApp,
  name: PageName,
  options: { query?: Record<string, string>; back?: boolean } = {},
): OpenedPage {
  const uiCallsBefore = app.wx.uiCalls.length;
  const page = app.open(name, options.query ?? {});
  return { page, name, back: options.back ?? false, uiCallsBefore };
}

/** The CSS of a page: WeChat's built-in look, then app.wxss, then the page's own wxss. */
export function pageCss(name: PageName): string {
  const app = readFileSync(join(distDir, "app.wxss"), "utf8");
  const pageDir = join(distDir, "pages", name);
  const page = inlineImports(readFileSync(join(pageDir, `${name}.wxss`), "utf8"), (path) =>
    readFileSync(join(pageDir, path), "utf8"),
  );
  return `${WECHAT_CSS}\n/* app.wxss */\n${convertWxss(app)}\n/* ${name}.wxss */\n${convertWxss(page)}`;
}

/** The whole screen (status bar, navigation bar, the page) as one HTML document. */
export function screenOf(opened: OpenedPage, clock: string): string {
  const appWindow = (readJson(join(distDir, "app.json")).window ?? {}) as WindowJson;
  const pageWindow = readJson(join(distDir, "pages", opened.name, `${opened.name}.json`)) as WindowJson;
  const setTitle = opened.page.app.wx.uiCalls
    .slice(opened.uiCallsBefore)
    .filter((call) => call.api === "setNavigationBarTitle")
    .at(-1)?.option.title;
  const root = opened.page.component.dom;
  if (!root) throw new Error(`${opened.name}: the page has no DOM`);
  return frameDocument({
    title: String(setTitle ?? pageWindow.navigationBarTitleText ?? appWindow.navigationBarTitleText ?? ""),
    background: pageWindow.navigationBarBackgroundColor ?? appWindow.navigationBarBackgroundColor ?? "#ffffff",
    textStyle: pageWindow.navigationBarTextStyle ?? appWindow.navigationBarTextStyle ?? "black",
    back: opened.back,
    clock,
    page: pageDocument(pageCss(opened.name), root),
  });
}
