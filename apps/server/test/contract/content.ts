import { codePointLength } from "@mpchat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import type { TestClient } from "../support/client";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import {
  expectAck,
  expectError,
  range,
  storedMessages,
  syncPages,
  TEST_TIMEOUT,
  uid,
  waitForMessage,
} from "./scenario";

/** Texts that a store or a renderer might be tempted to interpret, escape, normalize or trim. */
export const TRICKY_TEXTS: ReadonlyArray<readonly [string, string]> = [
  ["4-byte emoji, skin tone, ZWJ family, flag", "😀 👍🏽 👨‍👩‍👧‍👦 🇨🇳 🏳️‍🌈"],
  ["CJK, kana, hangul", "你好，世界。漢字かなカナ한국어"],
  ["CJK outside the BMP (4 bytes in UTF-8)", "𠀀𠜎𡃁𪚥"],
  ["quotes", `"double" 'single' \`back\` “curly” ‘curly’ «guillemets»`],
  ["backslashes", "C:\\path\\to\\file \\n \\u0000 \\\\ \\"],
  ["SQL", "'; DROP TABLE messages; --"],
  ["SQL, more", `" OR 1=1; -- ' UNION SELECT * FROM users; /* */ \\'; DELETE FROM conversations;`],
  ["HTML", "<script>alert(1)</script><img src=x onerror=alert(1)>&amp;&lt;"],
  ["control characters (no NUL)", "\u0001\u0002\u0007\b\t\n\u000b\f\r\u001b\u007f\u0085 line\r\nbreak"],
  ["line and paragraph separators", "a\u2028b\u2029c"],
  ["RTL marks and text", "\u202Eevil.exe\u202C \u200F שלום \u200E مرحبا"],
  ["zero-width characters", "a\u200Bb\u200Cc\u200Dd\uFEFFe\u2060f"],
  ["combining marks (not normalized)", "e\u0301 vs \u00e9, A\u030A vs \u00c5"],
  ["leading and trailing whitespace", "  \t spaced out \n "],
  ["a lone space", " "],
  ["JSON inside text", '{"type":"send","senderId":"bob","body":{"kind":"text"}}'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is exactly the content to keep verbatim
  ["templates and format strings", "%s %d %n %% ${process.exit()} {{7*7}} #{x} $(rm -rf /)"],
  ["private use and noncharacters", "\uE000\uF8FF\uFFFD\uFFFE\uFFFF"],
  ["4000 CJK code points", "字".repeat(4000)],
  ["4000 emoji code points (8000 UTF-16 units)", "😀".repeat(4000)],
  ["4000 mixed code points", `${"𠀀".repeat(1000)}${"é".repeat(1000)}${"\u200D".repeat(1000)}${"'".repeat(1000)}`],
  ["2500 emoji: 5000 UTF-16 units, counted as 2500", "🙂".repeat(2500)],
];

/** Guarantee 6 (content is data) and the text length limit. */
export function describeContent(kind: SuiteKind): void {
  describe("6. content is data", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind);
    let alice: TestClient;
    let bob: TestClient;
    let groupId: string;

    beforeAll(async () => {
      [alice, bob] = (await g.connect(uid("alice"), uid("bob"))) as [TestClient, TestClient];
      groupId = (await alice.api(g.server).createGroup("content", [bob.userId])).id;
    }, TEST_TIMEOUT);

    it("round-trips every text exactly (ack → push → sync → HTTP history → store)", async () => {
      const sent: Array<{ label: string; text: string; messageId: string; seq: number }> = [];
      for (const [label, text] of TRICKY_TEXTS) {
        expect(codePointLength(text), label).toBeLessThanOrEqual(4000);
        const ack = expectAck(await alice.sendText(groupId, text, `content-${sent.length}`));
        sent.push({ label, text, messageId: ack.messageId, seq: ack.seq });
      }
      const bySeq = (messages: Array<{ seq: number; body: { kind: string; text?: string } }>) =>
        new Map(messages.map((m) => [m.seq, m.body.text]));

      for (const client of [alice, bob]) {
        for (const { messageId } of sent) await waitForMessage(client, messageId);
      }
      const pushed = bySeq(bob.messagesIn(groupId).map((f) => f.message));
      const echoed = bySeq(alice.messagesIn(groupId).map((f) => f.message));
      const synced = bySeq((await syncPages(bob, groupId, 0, 5)).flatMap((p) => p.messages));
      const history = bySeq((await bob.api(g.server).history(groupId, { afterSeq: 0, limit: 200 })).messages);
      const stored = bySeq(await storedMessages(g.reader, groupId));
      for (const { label, text, seq } of sent) {
        const bytes = Buffer.from(text, "utf8");
        for (const [path, copies] of Object.entries({ pushed, echoed, synced, history, stored })) {
          const copy = copies.get(seq);
          expect(copy, `${label} via ${path}`).toBe(text);
          expect(Buffer.from(copy ?? "", "utf8").equals(bytes), `${label} via ${path} (bytes)`).toBe(true);
        }
      }
      expect(sent.map((s) => s.seq)).toEqual(range(1, TRICKY_TEXTS.length));
    });

    it.each([
      ["4001 CJK", "字".repeat(4001)],
      ["4001 emoji", "😀".repeat(4001)],
      ["4000 emoji and one letter", `${"😀".repeat(4000)}a`],
      ["4001 ASCII", "a".repeat(4001)],
    ])("refuses %s code points with too_large and stores nothing", async (_, text) => {
      const before = (await g.reader.getConversation(groupId))?.lastSeq;
      const clientMsgId = uid("big");
      const answer = expectError(await alice.sendText(groupId, text, clientMsgId), "too_large");
      expect(answer.id).toEqual(expect.any(String));
      expect(await g.reader.findByClientMsgId(alice.userId, clientMsgId)).toBeNull();
      expect((await g.reader.getConversation(groupId))?.lastSeq).toBe(before);
      // The connection keeps serving; the refused clientMsgId is still free.
      const ack = expectAck(await alice.sendText(groupId, "short again", clientMsgId));
      expect(ack.seq).toBe((before ?? 0) + 1);
    });
  });
}
