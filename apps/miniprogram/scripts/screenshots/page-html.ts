import { convertRpx, convertSafeArea } from "./wxss";

/**
 * A rendered page of miniprogram-simulate as static HTML for Chromium.
 *
 * The DOM (jsdom) has the elements, their scoped classes and the text, but the built-in components
 * are registered as plain slots: attributes such as `placeholder`, `value`, `disabled`, `size`,
 * `scroll-y`, `scroll-into-view`, `src` are missing from it. j-component keeps them on its virtual
 * tree, `element.__wxElement._vt.attrs`, from where they are copied back.
 */

interface VirtualAttr {
  name: string;
  value: unknown;
}

interface WithVirtualTree {
  __wxElement?: { _vt?: { attrs?: VirtualAttr[] } };
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Attributes the DOM already holds correctly (scoped classes) or that mean nothing on screen. */
const SKIPPED = new Set(["class", "slot"]);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
}

/** `scrollIntoView` → `scroll-into-view`; names already dashed stay as they are. */
export function dashed(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function virtualAttrs(element: Element): VirtualAttr[] {
  return (element as unknown as WithVirtualTree).__wxElement?._vt?.attrs ?? [];
}

/** The attributes to write: the DOM's, completed from the virtual tree (booleans as HTML ones). */
function attributesOf(element: Element): Map<string, string> {
  const out = new Map<string, string>();
  for (const attr of Array.from(element.attributes)) out.set(attr.name, attr.value);
  for (const { name, value } of virtualAttrs(element)) {
    const key = dashed(name);
    if (SKIPPED.has(key) || key.startsWith("bind") || key.startsWith("catch")) continue;
    if (value === false || value === null || value === undefined) out.delete(key);
    else out.set(key, value === true ? "" : String(value));
  }
  const style = out.get("style");
  if (style !== undefined) out.set("style", convertSafeArea(convertRpx(style)));
  return out;
}

/** What WeChat draws inside an input: its value, or the placeholder in grey. */
function inputContent(attrs: Map<string, string>): string {
  const value = attrs.get("value") ?? "";
  if (value !== "") return escapeHtml(attrs.get("password") !== undefined ? "•".repeat(value.length) : value);
  const placeholder = attrs.get("placeholder") ?? "";
  return placeholder === "" ? "" : `<span class="wx-input-placeholder">${escapeHtml(placeholder)}</span>`;
}

function elementHtml(element: Element): string {
  const tag = element.tagName.toLowerCase();
  const attrs = attributesOf(element);
  if (tag === "wx-image" && attrs.has("src")) {
    const style = attrs.get("style") ?? "";
    attrs.set("style", `background-image: url("${attrs.get("src")}");${style}`);
  }
  const written = [...attrs].map(([name, value]) => (value === "" ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`));
  const inner = tag === "wx-input" || tag === "wx-textarea" ? inputContent(attrs) : childrenHtml(element);
  return `<${tag}${written.join("")}>${inner}</${tag}>`;
}

function childrenHtml(node: Node): string {
  let html = "";
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === ELEMENT_NODE) html += elementHtml(child as Element);
    else if (child.nodeType === TEXT_NODE) html += escapeHtml(child.textContent ?? "");
  }
  return html;
}

/** The page's body content: the children of the component's root (`<main>` in simulate). */
export function pageBodyHtml(root: Element): string {
  return childrenHtml(root);
}

/** A whole page document: the styles (WeChat's, app.wxss, the page's, already CSS) and the body. */
export function pageDocument(css: string, root: Element): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${css}</style></head><body>${pageBodyHtml(root)}</body></html>`;
}
