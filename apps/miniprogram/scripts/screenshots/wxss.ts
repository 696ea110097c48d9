/**
 * WXSS → CSS for a page rendered by miniprogram-simulate and shown in Chromium.
 *
 * What WeChat does to a page's styles, redone for the simulated DOM:
 * - `rpx` is 1/750 of the screen width: on a 375 px wide phone, N rpx = N / 2 px.
 * - `env(safe-area-inset-bottom)` is the home-indicator strip of an iPhone X-sized phone: 34 px.
 * - Classes are scoped to the component: miniprogram-simulate renders `class="row"` as
 *   `class="main--row"`, so `.row` becomes `.main--row`.
 * - Built-in components are custom elements in the DOM (`wx-view`, …), and `page` is the root.
 */

/** Width of the phone the screenshots are taken on, in CSS px (iPhone X). */
export const SCREEN_WIDTH = 375;
/** The bottom safe area of that phone, in CSS px. */
export const SAFE_AREA_BOTTOM = 34;

/** Elements of WXSS selectors that are built-in components, rendered as `wx-<name>`. */
const COMPONENTS = [
  "scroll-view",
  "view",
  "text",
  "button",
  "input",
  "textarea",
  "image",
  "icon",
  "navigator",
  "label",
  "swiper",
  "swiper-item",
  "switch",
  "checkbox",
  "radio",
  "picker",
  "slider",
  "progress",
  "rich-text",
  "video",
];

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** `N rpx` → px for a SCREEN_WIDTH wide screen, in any value (declarations or inline styles). */
export function convertRpx(value: string): string {
  return value.replace(/(-?\d*\.?\d+)rpx\b/g, (_, n: string) => `${round((Number(n) * SCREEN_WIDTH) / 750)}px`);
}

/** Values WeChat computes from the phone: safe-area insets (`env()` and the older `constant()`). */
export function convertSafeArea(value: string): string {
  return value.replace(/(?:env|constant)\(\s*safe-area-inset-(top|right|bottom|left)\s*\)/g, (_, side: string) =>
    side === "bottom" ? `${SAFE_AREA_BOTTOM}px` : "0px",
  );
}

const ELEMENT = new RegExp(`(^|[\\s>+~,(])(page|${COMPONENTS.join("|")})(?=$|[\\s.:#\\[>+~,)])`, "g");

/** One selector list: component-scoped classes, `wx-` elements, `page` → `body`. */
export function convertSelector(selector: string, prefix = "main"): string {
  return selector
    .trim()
    .replace(/\.(-?[_a-zA-Z][\w-]*)/g, (_, name: string) => `.${prefix}--${name}`)
    .replace(ELEMENT, (_, before: string, name: string) => `${before}${name === "page" ? "body" : `wx-${name}`}`)
    .replace(/\s+/g, " ");
}

/** Index of the `}` closing the block opened just before `from`. */
function blockEnd(css: string, from: number): number {
  let depth = 1;
  for (let i = from; i < css.length; i++) {
    if (css[i] === "{") depth++;
    else if (css[i] === "}" && --depth === 0) return i;
  }
  throw new Error("wxss: unbalanced braces");
}

/** Rules and @-blocks in order; `@media`/`@supports` bodies are converted too, others kept. */
function convertBlocks(css: string, prefix: string): string {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const open = css.indexOf("{", at);
    if (open === -1) break;
    const head = css.slice(at, open).trim();
    const close = blockEnd(css, open + 1);
    const body = css.slice(open + 1, close);
    if (head.startsWith("@media") || head.startsWith("@supports")) {
      out.push(`${head} {\n${convertBlocks(body, prefix)}}`);
    } else if (head.startsWith("@")) {
      out.push(`${head} {${body}}`);
    } else {
      const selectors = head
        .split(",")
        .map((selector) => convertSelector(selector, prefix))
        .join(", ");
      out.push(`${selectors} {${convertSafeArea(convertRpx(body))}}`);
    }
    at = close + 1;
  }
  return out.map((block) => `${block}\n`).join("");
}

/**
 * `@import "x.wxss";` replaced by the imported file (`read` gets the path as written, relative to
 * the importing file), recursively, as WeChat's wcsc does; convertWxss expects them inlined.
 */
export function inlineImports(wxss: string, read: (path: string) => string, depth = 0): string {
  if (depth > 8) throw new Error("wxss: @import nested too deep");
  return wxss.replace(/@import\s+["']([^"']+)["']\s*;/g, (_, path: string) =>
    inlineImports(read(path), read, depth + 1),
  );
}

/** A whole .wxss file (@imports inlined first: inlineImports) as CSS for the simulated DOM. */
export function convertWxss(wxss: string, prefix = "main"): string {
  const withoutComments = wxss.replace(/\/\*[\s\S]*?\*\//g, "");
  return convertBlocks(withoutComments, prefix);
}
