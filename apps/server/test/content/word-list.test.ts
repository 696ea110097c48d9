import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PIECE_CODE_POINTS, PIECE_OVERLAP, textPieces } from "../../src/content/text-pieces";
import { foldForMatching, parseWordList, WordList } from "../../src/content/word-list";

const LIST = [
  "# words the operator refuses",
  "",
  "   ",
  "spam",
  "  Casino  ",
  "赌博",
  "vx123",
  "# not a word: the comment",
  "a b",
  "spam",
  "café",
].join("\r\n");

describe("the word list", () => {
  const list = new WordList(parseWordList(LIST));

  it("reads one entry a line, trimmed and folded, without blank lines, comments or repeats", () => {
    expect(list.words).toEqual(["spam", "casino", "赌博", "vx123", "a b", "café"]);
    expect(parseWordList("# only comments\n\n#x\n")).toEqual([]);
    expect(parseWordList("one\ntwo\rthree\r\nfour")).toEqual(["one", "two", "three", "four"]);
  });

  it.each([
    ["spam", "spam"],
    ["SPAM", "spam"],
    ["this is SpAm!", "spam"],
    ["ｓｐａｍ", "spam"], // full-width letters
    ["ＳＰＡＭ", "spam"],
    ["Ｃａｓｉｎｏ night", "casino"],
    ["加我 VX１２３", "vx123"], // full-width digits
    ["ｖｘ１２３", "vx123"],
    ["网上赌博", "赌博"],
    ["a b c", "a b"],
    ["CAFÉ au lait", "café"],
    ["spamspam", "spam"],
    ["emoji 🎰 casino 🎰", "casino"],
  ])("finds an entry in %j", (text, entry) => {
    expect(list.find(text)).toBe(entry);
  });

  it.each([
    "",
    "hello",
    "sp am",
    "s-p-a-m",
    "cas ino",
    "赌 博",
    "vx12",
    "ab",
    "cafe", // another letter, not a case or width of it
    "# spam-free comment".replace("spam", "sp\u200bam"),
  ])("finds nothing in %j", (text) => {
    expect(list.find(text)).toBeUndefined();
  });

  it("checks as a ContentCheck: a match is reject, anything else pass", async () => {
    expect(await list.check({ kind: "text", text: "buy ＳＰＡＭ", userId: "u" })).toBe("reject");
    expect(await list.check({ kind: "name", text: "Alice", userId: "u" })).toBe("pass");
    expect(await new WordList([]).check({ kind: "text", text: "anything", userId: "u" })).toBe("pass");
  });

  it("folds only full-width Latin letters and digits, besides the case", () => {
    expect(foldForMatching("ＡＢＣｘｙｚ０９")).toBe("abcxyz09");
    expect(foldForMatching("！＃，。")).toBe("！＃，。");
  });

  it("loads a file, and names CONTENT_WORDLIST when it cannot", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mpchat-words-"));
    try {
      await writeFile(join(dir, "words.txt"), LIST);
      expect((await WordList.load(join(dir, "words.txt"))).words).toHaveLength(6);
      await expect(WordList.load(join(dir, "missing.txt"))).rejects.toThrow(/CONTENT_WORDLIST: cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("text pieces for msg_sec_check", () => {
  it("keeps a text of at most 2,500 code points whole", () => {
    for (const text of ["", "a", "字".repeat(2500), "😀".repeat(2500)]) expect(textPieces(text)).toEqual([text]);
  });

  it("cuts a longer text into overlapping pieces that cover it, never splitting a surrogate pair", () => {
    for (const length of [2501, 4000, 4800, 4801, 10_000]) {
      const points = Array.from({ length }, (_, i) => (i % 2 === 0 ? "😀" : String.fromCodePoint(0x4e00 + (i % 500))));
      const pieces = textPieces(points.join(""));
      const step = PIECE_CODE_POINTS - PIECE_OVERLAP;
      expect(pieces.length, String(length)).toBe(Math.ceil((length - PIECE_OVERLAP) / step));
      pieces.forEach((piece, index) => {
        const piecePoints = Array.from(piece);
        expect(piecePoints.length).toBeLessThanOrEqual(PIECE_CODE_POINTS);
        expect(piecePoints).toEqual(points.slice(index * step, index * step + PIECE_CODE_POINTS));
      });
      expect(pieces.at(-1)?.endsWith(points.at(-1) ?? "")).toBe(true);
    }
  });

  it("sees a word of up to the overlap's length whole in one piece wherever it sits", () => {
    const word = "X".repeat(PIECE_OVERLAP);
    for (let at = 2300; at <= 2500; at += 7) {
      const text = `${"a".repeat(at)}${word}${"b".repeat(2000)}`;
      expect(
        textPieces(text).some((piece) => piece.includes(word)),
        String(at),
      ).toBe(true);
    }
  });
});
