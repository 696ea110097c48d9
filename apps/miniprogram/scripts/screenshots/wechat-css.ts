/**
 * What WeChat itself applies to a page (base library, `"style": "v2"`), approximated for the
 * simulated DOM: the built-in components are plain custom elements there, without styles of their
 * own. Values are WeUI's (the v2 look). Loaded before app.wxss, so the page's own rules win as in
 * WeChat, except where WeChat's selector is more specific (a disabled button stays grey).
 */
export const WECHAT_CSS = `
@font-face { font-family: "PingFang SC"; font-weight: 400; src: local("Noto Sans CJK SC"), local("NotoSansCJKsc-Regular"); }
@font-face { font-family: "PingFang SC"; font-weight: 500 900; src: local("Noto Sans CJK SC Bold"), local("NotoSansCJKsc-Bold"); }
html { height: 100%; -webkit-text-size-adjust: none; }
body {
  margin: 0; height: 100%; font-size: 16px; line-height: normal;
  font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif, "Noto Color Emoji";
  -webkit-tap-highlight-color: transparent;
}
::-webkit-scrollbar { display: none; }
[hidden] { display: none !important; }

wx-view, wx-scroll-view, wx-swiper, wx-rich-text, wx-label { display: block; }
wx-text { display: inline; white-space: pre-wrap; }
wx-scroll-view { overflow: hidden; position: relative; }
wx-scroll-view[scroll-y] { overflow-y: auto; }
wx-scroll-view[scroll-x] { overflow-x: auto; white-space: nowrap; }

wx-button {
  position: relative; display: block; box-sizing: border-box; width: 184px;
  margin-left: auto; margin-right: auto; padding: 8px 24px;
  font-size: 17px; font-weight: 700; line-height: 1.41176471; text-align: center;
  text-decoration: none; border-radius: 8px; overflow: hidden;
  color: #000000; background-color: #f2f2f2;
}
wx-button[type="primary"] { color: #ffffff; background-color: #07c160; }
wx-button[type="warn"] { color: #fa5151; background-color: #f2f2f2; }
wx-button[size="mini"] {
  display: inline-block; width: auto; padding: 0 0.75em; line-height: 2.3;
  font-size: 16px; border-radius: 4px;
}
wx-button[disabled] { color: rgba(0, 0, 0, 0.18); background-color: #f2f2f2; }
wx-button[loading]::before {
  content: ""; display: inline-block; box-sizing: border-box; width: 1em; height: 1em;
  margin: -0.2em 0.34em 0 0; vertical-align: middle; border-radius: 50%;
  border: 2px solid currentColor; border-right-color: transparent;
}

wx-input {
  display: block; height: 1.4rem; min-height: 1.4rem; line-height: 1.4rem;
  overflow: hidden; white-space: nowrap; text-overflow: clip; cursor: auto;
}
.wx-input-placeholder { color: #808080; }

/* WeChat's switch: a grey pill with a white knob; green with the knob on the right when checked. */
wx-switch {
  display: inline-block; position: relative; width: 52px; height: 32px; border-radius: 16px;
  background-color: #e5e5e5; vertical-align: middle;
}
wx-switch::after {
  content: ""; position: absolute; top: 2px; left: 2px; width: 28px; height: 28px; border-radius: 50%;
  background-color: #ffffff; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.3);
}
wx-switch[checked]:not([checked="false"]) { background-color: #07c160; }
wx-switch[checked]:not([checked="false"])::after { left: 22px; }

wx-image {
  display: inline-block; width: 320px; height: 240px; overflow: hidden;
  background-size: 100% 100%; background-repeat: no-repeat;
}
`;
