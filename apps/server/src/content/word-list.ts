import { readFile } from "node:fs/promises";
import AhoCorasick from "modern-ahocorasick";
import type { ContentCheck, ContentSubject, ContentVerdict } from "../chat/content-check";

/** Full-width digits and Latin letters (U+FF10–FF19, FF21–FF3A, FF41–FF5A) and their ASCII forms' distance. */
const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/** The form both the list and the text are matched in: full-width Latin letters and digits as ASCII, lower case. */
export function foldForMatching(text: string): string {
  return text
    .replace(FULL_WIDTH_ALNUM, (char) => String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET))
    .toLowerCase();
}

/** The entries of a word list file: one a line, trimmed; blank lines and `#` comments left out; folded, once each. */
export function parseWordList(source: string): string[] {
  const words = new Set<string>();
  for (const line of source.split(/\r\n|\n|\r/)) {
    const entry = line.trim();
    if (entry === "" || entry.startsWith("#")) continue;
    words.add(foldForMatching(entry));
  }
  return [...words];
}

/**
 * The local word list (CONTENT_WORDLIST), always run first: every entry matched
 * in one pass over the text (Aho–Corasick), case-insensitively and with
 * full-width Latin letters and digits folded. A match is `reject`.
 */
export class WordList implements ContentCheck {
  readonly name = "wordlist";
  private readonly matcher: AhoCorasick | undefined;

  constructor(readonly words: readonly string[]) {
    this.matcher = words.length === 0 ? undefined : new AhoCorasick(words);
  }

  /** Reads the list; a missing or unreadable file stops the start with the variable's name. */
  static async load(path: string): Promise<WordList> {
    let source: string;
    try {
      source = await readFile(path, "utf8");
    } catch (error) {
      throw new Error(`CONTENT_WORDLIST: cannot read ${path}: ${(error as Error).message}`);
    }
    return new WordList(parseWordList(source));
  }

  /** The first entry found in `text` (folded), or undefined. */
  find(text: string): string | undefined {
    return this.matcher?.findFirst(foldForMatching(text))?.pattern;
  }

  async check(subject: ContentSubject): Promise<ContentVerdict> {
    return this.find(subject.text) === undefined ? "pass" : "reject";
  }
}
