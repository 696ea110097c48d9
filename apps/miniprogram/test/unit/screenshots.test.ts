import { describe, expect, it } from "vitest";
import { pageBodyHtml } from "../../scripts/screenshots/page-html";
import { convertRpx, convertSafeArea, convertSelector, convertWxss } from "../../scripts/screenshots/wxss";

/** The pure parts of `pnpm screenshots`: WXSS → CSS, and the simulated DOM → HTML. */
describe("wxss → css", () => {
  it("turns rpx into px for a 375 px wide screen", () => {
    const cases: Array<[string, string]> = [
      ["32rpx", "16px"],
      ["1rpx solid #e0e0e0", "0.5px solid #e0e0e0"],
      ["16rpx 24rpx 0 -8rpx", "8px 12px 0 -4px"],
      ["0.5rpx", "0.25px"],
      ["750rpx", "375px"],
      ["calc(100% - 88rpx)", "calc(100% - 44px)"],
      ["#fa5151", "#fa5151"],
      ["12px", "12px"],
    ];
    for (const [wxss, css] of cases) expect(convertRpx(wxss)).toBe(css);
  });

  it("gives the safe area of an iPhone X-sized phone", () => {
    expect(convertSafeArea("calc(8px + env(safe-area-inset-bottom))")).toBe("calc(8px + 34px)");
    expect(convertSafeArea("constant(safe-area-inset-bottom)")).toBe("34px");
    expect(convertSafeArea("env( safe-area-inset-top )")).toBe("0px");
    expect(convertSafeArea("env(safe-area-inset-left) env(safe-area-inset-right)")).toBe("0px 0px");
  });

  it("scopes classes to the component and maps page and built-in components", () => {
    const cases: Array<[string, string]> = [
      [".row", ".main--row"],
      [".line.mine .bubble", ".main--line.main--mine .main--bubble"],
      ["page", "body"],
      ["view", "wx-view"],
      ["scroll-view", "wx-scroll-view"],
      [".composer-buttons button", ".main--composer-buttons wx-button"],
      ["button[disabled]", "wx-button[disabled]"],
      ["text:first-child", "wx-text:first-child"],
      ["view > text + image", "wx-view > wx-text + wx-image"],
      [".state.failed::before", ".main--state.main--failed::before"],
      // A class or an element whose name contains a component name is left alone.
      [".viewer", ".main--viewer"],
      [".page", ".main--page"],
      ["textarea", "wx-textarea"],
      [".item-text  .x", ".main--item-text .main--x"],
    ];
    for (const [wxss, css] of cases) expect(convertSelector(wxss)).toBe(css);
    expect(convertSelector(".row", "comp")).toBe(".comp--row");
  });

  it("converts a whole file: comments out, each selector of a list, values, @media inside", () => {
    const wxss = `/* the look */
page { height: 100%; }
.older,
.empty { padding: 20rpx 0; }
.composer { padding: 16rpx 24rpx calc(16rpx + env(safe-area-inset-bottom)); border-top: 1rpx solid #e0e0e0; }
@media (min-width: 600px) { .bubble { max-width: 60%; margin: 4rpx; } }
@keyframes spin { from { transform: rotate(0deg); } to { transform: rotate(360deg); } }`;
    const css = convertWxss(wxss);
    expect(css).not.toContain("the look");
    expect(css).not.toContain("rpx");
    expect(css).not.toContain("env(");
    expect(css).toContain("body { height: 100%; }");
    expect(css).toContain(".main--older, .main--empty { padding: 10px 0; }");
    expect(css).toContain(".main--composer { padding: 8px 12px calc(8px + 34px); border-top: 0.5px solid #e0e0e0; }");
    expect(css).toContain("@media (min-width: 600px) {\n.main--bubble { max-width: 60%; margin: 2px; }\n}");
    expect(css).toContain("@keyframes spin { from { transform: rotate(0deg); } to { transform: rotate(360deg); } }");
  });

  it("refuses a file with unbalanced braces instead of drawing half of it", () => {
    expect(() => convertWxss(".a { color: red; ")).toThrow(/unbalanced/);
  });
});

describe("simulated DOM → html", () => {
  /** An element as miniprogram-simulate renders it, with j-component's virtual attributes. */
  function wxElement(tag: string, className: string, attrs: Array<{ name: string; value: unknown }>, text = "") {
    const element = document.createElement(tag);
    if (className) element.setAttribute("class", className);
    element.textContent = text;
    Object.assign(element, { __wxElement: { _vt: { attrs } } });
    return element;
  }

  it("copies the attributes the DOM lacks from the virtual tree, dashed, booleans as HTML ones", () => {
    const root = document.createElement("main");
    const view = wxElement("wx-scroll-view", "main--messages", [
      { name: "class", value: "messages" },
      { name: "scrollY", value: true },
      { name: "scrollIntoView", value: "m-7" },
      { name: "bindscroll", value: "onScroll" },
      { name: "style", value: "height: 100rpx" },
    ]);
    view.appendChild(wxElement("wx-text", "main--bubble", [], "a < b & 👋"));
    root.appendChild(view);
    root.appendChild(
      wxElement("wx-button", "main--send", [
        { name: "size", value: "mini" },
        { name: "disabled", value: true },
        { name: "loading", value: false },
      ]),
    );
    expect(pageBodyHtml(root)).toBe(
      '<wx-scroll-view class="main--messages" scroll-y scroll-into-view="m-7" style="height: 50px">' +
        '<wx-text class="main--bubble">a &lt; b &amp; 👋</wx-text></wx-scroll-view>' +
        '<wx-button class="main--send" size="mini" disabled></wx-button>',
    );
  });

  it("draws an input's value, or its placeholder in grey when empty", () => {
    const root = document.createElement("main");
    root.appendChild(wxElement("wx-input", "", [{ name: "value", value: "alice" }]));
    root.appendChild(
      wxElement("wx-input", "", [
        { name: "value", value: "" },
        { name: "placeholder", value: "昵称" },
      ]),
    );
    expect(pageBodyHtml(root)).toBe(
      '<wx-input value="alice">alice</wx-input>' +
        '<wx-input value placeholder="昵称"><span class="wx-input-placeholder">昵称</span></wx-input>',
    );
  });
});
