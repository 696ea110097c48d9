import type { OutboxEntry } from "@mpchat/client";
import { describe, expect, it } from "vitest";
import { inlineImports } from "../../scripts/screenshots/wxss";
import { contentOf, pendingContentOf } from "../../src/pages/chat/bubble-content";
import { closePanels, initialComposer, togglePanel, toggleVoice } from "../../src/pages/chat/composer";
import { deleteLast, EMOJI } from "../../src/pages/chat/emoji";
import { HoldToTalk } from "../../src/pages/chat/hold-to-talk";
import { fileIcon, formatFileSize, imageBox, voiceSeconds, voiceWidth } from "../../src/view/media-bubble";

const urls = { thumb: (id: string) => `T/${id}`, full: (id: string) => `F/${id}` };

describe("media bubbles", () => {
  it("fit images into the 360 rpx box in their own shape; strips keep a minimum side; unknown sizes a square", () => {
    const cases: Array<[number, number, { width: number; height: number }]> = [
      [600, 800, { width: 270, height: 360 }],
      [1200, 900, { width: 360, height: 270 }],
      [100, 100, { width: 360, height: 360 }],
      [4000, 200, { width: 360, height: 120 }],
      [30, 3000, { width: 120, height: 360 }],
      [0, 0, { width: 270, height: 270 }],
    ];
    for (const [w, h, box] of cases) expect(imageBox(w, h), `${w}×${h}`).toEqual(box);
  });

  it("make voice bubbles wider with the duration, from 1 s to 60 s, never past the limit", () => {
    expect([0, 400, 1000, 2400, 59_000, 60_000, 600_000].map(voiceSeconds)).toEqual([1, 1, 1, 2, 59, 60, 60]);
    const widths = [1000, 2000, 5000, 10_000, 30_000, 60_000].map(voiceWidth);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThan(widths[i - 1] ?? 0);
    expect(widths[0]).toBe(150);
    expect(voiceWidth(600_000)).toBe(460);
  });

  it("show file sizes as phones do and an icon by extension", () => {
    expect([0, 532, 1024, 12_800, 3_355_443, 150 * 1024 * 1024].map(formatFileSize)).toEqual([
      "0 B",
      "532 B",
      "1.0 KB",
      "12.5 KB",
      "3.2 MB",
      "150 MB",
    ]);
    expect(
      ["周报.pdf", "a.DOCX", "表.xlsx", "x.key", "noext", ".hidden", "a.verylongext"].map((n) => fileIcon(n).label),
    ).toEqual(["PDF", "DOCX", "XLSX", "KEY", "FILE", "FILE", "FILE"]);
  });

  it("draw received bodies from their fields, with the media token URLs", () => {
    expect(contentOf({ kind: "image", mediaId: "m1", width: 600, height: 800 }, urls)).toEqual({
      kind: "image",
      text: "[图片]",
      image: { src: "T/m1", full: "F/m1", width: 270, height: 360 },
    });
    expect(contentOf({ kind: "voice", mediaId: "m2", durationMs: 8000 }, urls).voice).toMatchObject({
      seconds: 8,
      src: "F/m2",
    });
    expect(contentOf({ kind: "file", mediaId: "m3", name: "a.pdf", size: 2048 }, urls).file).toMatchObject({
      name: "a.pdf",
      sizeText: "2.0 KB",
      src: "F/m3",
    });
    expect(contentOf({ kind: "unknown", rawKind: "sticker" }, urls).kind).toBe("text");
  });

  it("draw a pending upload from the local file with its progress; refused ones without", () => {
    const entry = (status: "pending" | "failed", sent: number): OutboxEntry => ({
      clientMsgId: "c1",
      conversationId: "x",
      body: { kind: "image", mediaId: "", width: 0, height: 0 },
      createdAt: 0,
      status,
      attempts: 0,
      upload: {
        kind: "image",
        file: { filePath: "http://tmp/1.jpg" },
        clientMediaId: "u1",
        state: "uploading",
        sent,
        total: 200,
      },
    });
    expect(pendingContentOf(entry("pending", 50), urls)).toMatchObject({
      image: { src: "http://tmp/1.jpg" },
      progress: 25,
    });
    // Never 100% before the server answered.
    expect(pendingContentOf(entry("pending", 200), urls).progress).toBe(99);
    expect(pendingContentOf(entry("failed", 50), urls).progress).toBe(-1);
  });
});

describe("the input bar", () => {
  it("toggles voice and keyboard, and one panel at a time", () => {
    const voice = toggleVoice(initialComposer);
    expect(voice).toEqual({ voiceMode: true, panel: "", focus: false });
    expect(toggleVoice(voice)).toEqual({ voiceMode: false, panel: "", focus: true });
    const emoji = togglePanel(voice, "emoji");
    expect(emoji).toEqual({ voiceMode: false, panel: "emoji", focus: false });
    expect(togglePanel(emoji, "plus").panel).toBe("plus");
    expect(togglePanel(emoji, "emoji")).toEqual({ voiceMode: false, panel: "", focus: true });
    expect(closePanels(emoji).panel).toBe("");
  });

  it("deletes a whole emoji of the panel, or one code point (never half a surrogate pair)", () => {
    expect(EMOJI.length % 8).toBe(0);
    expect(new Set(EMOJI).size).toBe(EMOJI.length);
    expect(deleteLast("好✌️")).toBe("好");
    expect(deleteLast("好❤️")).toBe("好");
    expect(deleteLast("a😀")).toBe("a");
    expect(deleteLast("a🦄")).toBe("a");
    expect(deleteLast("你好")).toBe("你");
    expect(deleteLast("")).toBe("");
  });
});

describe("screenshots: wxss @import", () => {
  it("inlines imports recursively as wcsc does, and refuses endless nesting", () => {
    const files: Record<string, string> = { "a.wxss": '@import "b.wxss";\n.a {}', "b.wxss": ".b {}" };
    expect(inlineImports('@import "a.wxss";\n.page {}', (path) => files[path] ?? "")).toBe(".b {}\n.a {}\n.page {}");
    expect(() => inlineImports('@import "self.wxss";', () => '@import "self.wxss";')).toThrow(/too deep/);
  });
});

describe("hold to talk", () => {
  /** A recorder whose stops are reported when the test says (WeChat reports them later). */
  function recorder() {
    const stops: Array<(result: { tempFilePath: string; duration: number }) => void> = [];
    let onStop: (result: { tempFilePath: string; duration: number }) => void = () => undefined;
    const api = {
      start: () => undefined,
      stop: () => stops.push((result) => onStop(result)),
      onStop: (listener: typeof onStop) => {
        onStop = listener;
      },
      onError: () => undefined,
    };
    return {
      api: api as unknown as WechatMiniprogram.RecorderManager,
      report: (path: string, duration: number) => stops.shift()?.({ tempFilePath: path, duration }),
    };
  }

  it("sends on release, cancels past the line, drops short clips, and keeps each stop's decision", () => {
    const rec = recorder();
    const sent: string[] = [];
    const shown: boolean[] = [];
    let short = 0;
    const talk = new HoldToTalk(rec.api, {
      view: (view) => shown.push(view.cancel),
      recorded: (clip) => sent.push(`${clip.path}:${clip.durationMs}`),
      tooShort: () => short++,
      failed: () => undefined,
    });
    talk.press(600);
    talk.move(500);
    talk.release();
    // A quick second press before the first (cancelled) stop is reported.
    talk.press(600);
    talk.release();
    rec.report("first", 3000);
    rec.report("second", 2500);
    expect(sent).toEqual(["second:2500"]);
    expect(shown).toContain(true);

    talk.press(600);
    talk.release();
    rec.report("short", 500);
    expect(short).toBe(1);
    // The 60 s limit stops it with the finger still down: sent.
    talk.press(600);
    rec.api.stop();
    rec.report("limit", 60_000);
    expect(sent).toEqual(["second:2500", "limit:60000"]);
    // A touchcancel (a call came in) discards.
    talk.press(600);
    talk.release(true);
    rec.report("interrupted", 4000);
    expect(sent).toHaveLength(2);
  });
});
