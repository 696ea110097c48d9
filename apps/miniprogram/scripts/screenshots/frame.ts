import { escapeHtml } from "./page-html";
import { SAFE_AREA_BOTTOM, SCREEN_WIDTH } from "./wxss";

/**
 * The phone around a page: an iPhone X-sized screen (375 × 812 CSS px), its 44 px status bar,
 * WeChat's 44 px navigation bar (back arrow, title, the ··· | ⊙ capsule every mini program has)
 * and the home indicator. The page itself goes into a 375 × 724 iframe under the bars, so that
 * `height: 100%` and scroll views behave as in the real window.
 */

export const SCREEN_HEIGHT = 812;
const STATUS_BAR = 44;
const NAV_BAR = 44;
export const PAGE_HEIGHT = SCREEN_HEIGHT - STATUS_BAR - NAV_BAR;
/** The capsule (87 px, 7 px from the edge): a centred title stays clear of it on both sides. */
const CAPSULE_WIDTH = 87;
const TITLE_WIDTH = SCREEN_WIDTH - 2 * (CAPSULE_WIDTH + 7 + 10);

export interface FrameOptions {
  /** The navigation bar title (the page's json, or its last wx.setNavigationBarTitle). */
  title: string;
  /** Navigation bar colours, from app.json's window. */
  background: string;
  textStyle: "black" | "white";
  /** A back arrow (a page opened with navigateTo); false for the first page of the stack. */
  back: boolean;
  /** The time in the status bar, e.g. "10:30". */
  clock: string;
  /** The page document (see page-html.ts). */
  page: string;
}

const ICONS = `
<svg width="18" height="12" viewBox="0 0 18 12"><rect x="0" y="8" width="3" height="4" rx="1"/><rect x="5" y="5.5" width="3" height="6.5" rx="1"/><rect x="10" y="3" width="3" height="9" rx="1"/><rect x="15" y="0" width="3" height="12" rx="1"/></svg>
<svg width="16" height="12" viewBox="0 0 16 12"><path d="M8 11.5 5.6 9a3.4 3.4 0 0 1 4.8 0Z"/><path d="M3.5 6.9a6.4 6.4 0 0 1 9 0l-1.4 1.4a4.4 4.4 0 0 0-6.2 0Z"/><path d="M1.3 4.7a9.5 9.5 0 0 1 13.4 0l-1.4 1.4a7.5 7.5 0 0 0-10.6 0Z"/></svg>
<svg width="27" height="13" viewBox="0 0 27 13"><rect x="0.5" y="0.5" width="23" height="12" rx="3.5" fill="none" stroke="currentColor" opacity="0.4"/><rect x="2" y="2" width="17" height="9" rx="2"/><path d="M25 4.5v4a2 2 0 0 0 0-4Z" opacity="0.4"/></svg>`;

function styles(options: FrameOptions): string {
  const ink = options.textStyle === "white" ? "#ffffff" : "#000000";
  return `
html, body { margin: 0; width: ${SCREEN_WIDTH}px; height: ${SCREEN_HEIGHT}px; overflow: hidden; }
body { position: relative; background: ${options.background}; color: ${ink};
  font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; }
.status { height: ${STATUS_BAR}px; display: flex; align-items: center; justify-content: space-between;
  padding: 0 22px 0 32px; box-sizing: border-box; }
.status .time { font-size: 15px; font-weight: 600; letter-spacing: 0.2px; }
.status .icons { display: flex; align-items: center; gap: 5px; fill: ${ink}; color: ${ink}; }
.nav { position: relative; height: ${NAV_BAR}px; display: flex; align-items: center; justify-content: center; }
.nav .title { font-size: 17px; font-weight: 600; max-width: ${TITLE_WIDTH}px; overflow: hidden; white-space: nowrap;
  text-overflow: ellipsis; }
.nav .back { position: absolute; left: 16px; top: 15px; width: 12px; height: 12px;
  border-left: 2.2px solid ${ink}; border-bottom: 2.2px solid ${ink}; transform: rotate(45deg); }
.capsule { position: absolute; right: 7px; top: 6px; width: ${CAPSULE_WIDTH}px; height: 32px; box-sizing: border-box;
  border-radius: 16px; border: 0.5px solid rgba(0, 0, 0, 0.12); background: rgba(255, 255, 255, 0.6);
  display: flex; align-items: center; }
.capsule .half { flex: 1; display: flex; align-items: center; justify-content: center; gap: 3px; }
.capsule .dot { width: 4px; height: 4px; border-radius: 50%; background: ${ink}; }
.capsule .dot.big { width: 5.5px; height: 5.5px; }
.capsule .bar { width: 0.5px; height: 19px; background: rgba(0, 0, 0, 0.2); }
.capsule .ring { width: 14px; height: 14px; box-sizing: border-box; border-radius: 50%; border: 2px solid ${ink};
  display: flex; align-items: center; justify-content: center; }
.capsule .ring::after { content: ""; width: 4px; height: 4px; border-radius: 50%; background: ${ink}; }
iframe { display: block; width: ${SCREEN_WIDTH}px; height: ${PAGE_HEIGHT}px; border: 0; }
.home { position: absolute; left: 50%; width: 134px; height: 5px; margin-left: -67px;
  border-radius: 3px; background: #000000; }
`;
}

/** The screen as one HTML document; the page is in `iframe#page` (srcdoc). */
export function frameDocument(options: FrameOptions): string {
  const capsule = `<div class="capsule"><div class="half"><span class="dot"></span><span class="dot big"></span><span class="dot"></span></div><div class="bar"></div><div class="half"><span class="ring"></span></div></div>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>${styles(options)}</style></head><body>
<div class="status"><span class="time">${escapeHtml(options.clock)}</span><span class="icons">${ICONS}</span></div>
<div class="nav">${options.back ? '<span class="back"></span>' : ""}<span class="title">${escapeHtml(options.title)}</span>${capsule}</div>
<iframe id="page" srcdoc="${escapeHtml(options.page)}"></iframe>
<div class="home" style="bottom: ${Math.round((SAFE_AREA_BOTTOM - 5) / 2)}px"></div>
</body></html>`;
}
