import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { checkMedia, sniffMime } from "../../src/media/media-check";
import { resolveRange } from "../../src/media/range";
import { cleanFileName } from "../../src/media/upload";

const MiB = 1024 * 1024;

describe("checkMedia", () => {
  it("accepts what fits each kind", () => {
    const ok: Parameters<typeof checkMedia>[] = [
      ["image", { mime: "image/jpeg", size: 10 * MiB, width: 8192, height: 8192 }],
      ["image", { mime: "image/png" }],
      ["image", { mime: "image/gif" }],
      ["image", { mime: "image/webp" }],
      ["voice", { mime: "audio/aac", size: 2 * MiB, durationMs: 60_000 }],
      ["voice", { mime: "audio/mp4" }],
      ["voice", { mime: "audio/mpeg" }],
      ["file", { mime: undefined, size: 20 * MiB }],
      ["file", { mime: "application/x-msdownload" }],
    ];
    for (const [kind, facts] of ok)
      expect(checkMedia(kind, facts), `${kind} ${JSON.stringify(facts)}`).toEqual({ ok: true });
  });

  it("refuses past a limit with too_large, and says the limit", () => {
    const tooLarge: [...Parameters<typeof checkMedia>, string][] = [
      ["image", { size: 10 * MiB + 1 }, "10 MiB"],
      ["image", { mime: "image/png", width: 8193, height: 10 }, "8192 px"],
      ["image", { mime: "image/png", width: 10, height: 8193 }, "8192 px"],
      ["voice", { size: 2 * MiB + 1 }, "2 MiB"],
      ["voice", { mime: "audio/aac", durationMs: 60_001 }, "60 s"],
      ["file", { size: 20 * MiB + 1 }, "20 MiB"],
    ];
    for (const [kind, facts, says] of tooLarge) {
      const verdict = checkMedia(kind, facts);
      expect(verdict, `${kind} ${JSON.stringify(facts)}`).toMatchObject({ ok: false, code: "too_large" });
      expect(verdict.ok === false && verdict.message).toContain(says);
    }
  });

  it("refuses a type that is not the kind's with bad_request, naming what it got", () => {
    const bad: Parameters<typeof checkMedia>[] = [
      ["image", { mime: undefined }],
      ["image", { mime: "image/svg+xml" }],
      ["image", { mime: "image/tiff" }],
      ["image", { mime: "image/heic" }],
      ["image", { mime: "application/pdf" }],
      ["image", { mime: "audio/mpeg" }],
      ["voice", { mime: "audio/ogg" }],
      ["voice", { mime: "audio/wav" }],
      ["voice", { mime: "image/png" }],
      ["voice", { mime: undefined }],
    ];
    for (const [kind, facts] of bad) {
      const verdict = checkMedia(kind, facts);
      expect(verdict, `${kind} ${facts.mime}`).toMatchObject({ ok: false, code: "bad_request" });
      expect(verdict.ok === false && verdict.message).toContain(facts.mime ?? "unknown type");
    }
  });
});

describe("sniffMime reads the bytes", () => {
  it("tells the image formats apart and knows nothing of names", async () => {
    const base = sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } });
    expect(await sniffMime(await base.clone().jpeg().toBuffer())).toBe("image/jpeg");
    expect(await sniffMime(await base.clone().png().toBuffer())).toBe("image/png");
    expect(await sniffMime(await base.clone().gif().toBuffer())).toBe("image/gif");
    expect(await sniffMime(await base.clone().webp().toBuffer())).toBe("image/webp");
    expect(await sniffMime(await base.clone().tiff().toBuffer())).toBe("image/tiff");
    expect(await sniffMime(Buffer.from("just some text"))).toBeUndefined();
    expect(await sniffMime(new Uint8Array(0))).toBeUndefined();
  });
});

describe("resolveRange", () => {
  it("resolves one range against the size, suffixes included; 416 outside; else the whole", () => {
    const cases: [string | undefined, number, ReturnType<typeof resolveRange>][] = [
      ["bytes=0-99", 1000, { start: 0, end: 99 }],
      ["bytes=500-", 1000, { start: 500, end: 999 }],
      ["bytes=-100", 1000, { start: 900, end: 999 }],
      ["bytes=-5000", 1000, { start: 0, end: 999 }],
      ["bytes=900-5000", 1000, { start: 900, end: 999 }],
      ["bytes=1000-", 1000, "unsatisfiable"],
      ["bytes=5000-6000", 1000, "unsatisfiable"],
      ["bytes=0-", 0, "unsatisfiable"],
      [undefined, 1000, null],
      ["", 1000, null],
      ["items=0-5", 1000, null],
      // RFC 9110 lets a server ignore or reject a malformed range; range-parser rejects.
      ["bytes=abc", 1000, "unsatisfiable"],
      ["bytes=0-9,500-509", 1000, null],
      ["bytes=0-9,5-20", 1000, { start: 0, end: 20 }],
    ];
    for (const [header, size, expected] of cases)
      expect(resolveRange(header, size), `${header} of ${size}`).toEqual(expected);
  });
});

describe("cleanFileName", () => {
  it("keeps the last path segment without control characters, ≤ 255 code points", () => {
    const cases: [string | undefined, string | undefined][] = [
      ["report.pdf", "report.pdf"],
      ["../../etc/passwd", "passwd"],
      ["C:\\Users\\me\\a.docx", "a.docx"],
      ["a\u0000b\nc\u007f.txt", "abc.txt"],
      ["  spaced.txt  ", "spaced.txt"],
      ["报告 2026.xlsx", "报告 2026.xlsx"],
      [`${"字".repeat(300)}.txt`, "字".repeat(255)],
      ["dir/", undefined],
      ["..", undefined],
      ["", undefined],
      [undefined, undefined],
    ];
    for (const [input, expected] of cases) expect(cleanFileName(input), String(input)).toBe(expected);
  });
});
