import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, devLogin } from "@mpchat/server/testing";
import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { bubbles, inputOf, lastChatNavigation, openList, tapOn, typeAndSend, waitForBubble } from "./support/flows";

const wordListPath = join(mkdtempSync(join(tmpdir(), "mpchat-mp-words-")), "words.txt");
writeFileSync(wordListPath, "# the test's list\n禁词\nforbidden\n");

/** A send the server's content check refuses: the bubble says so under it, and a tap does not send it again. */
describe("a message the content check rejects", () => {
  const appServer = useAppServer({
    content: { mode: "off", webhookUrl: undefined, wordListPath, review: "allow", onError: "retry", timeoutMs: 3000 },
  });

  it("ends failed with 内容违规，未发送 under it, is never retried, and other texts still go through", async () => {
    const alice = await appServer.login("alice");
    await appServer.login("bob");
    const list = await openList(alice);
    list.call("onComposeDirect");
    list.call("onPeerIdInput", inputOf("bob"));
    await list.call("onCreateDirect");
    const conversationId = lastChatNavigation(alice);
    const chat = alice.open("chat", { id: conversationId });

    const refused = ["这里有禁词", "FORBIDDEN word", "前面\n禁词"];
    for (const text of refused) typeAndSend(chat, text);
    const rejected = await waitUntil("every refused text ends failed", () => {
      const found = bubbles(chat).filter((bubble) => refused.includes(bubble.text));
      return found.length === refused.length && found.every((bubble) => bubble.status === "failed") ? found : undefined;
    });
    expect(chat.byClass("rejected-note").map((note) => note.textContent)).toEqual(
      refused.map(() => "内容违规，未发送"),
    );
    // No "发送失败，重试" on them: that mark is for sends a retry can fix.
    expect(chat.byClass("failed").map((mark) => mark.textContent?.trim())).toEqual(refused.map(() => "!"));

    // A tap where the retry mark would be sends nothing again.
    for (const bubble of rejected) chat.call("onRetry", tapOn({ id: bubble.clientMsgId }));
    // (A retry would have turned them pending right away.)
    expect(
      bubbles(chat)
        .filter((bubble) => refused.includes(bubble.text))
        .map((bubble) => bubble.status),
    ).toEqual(refused.map(() => "failed"));
    typeAndSend(chat, "正常的话");
    await waitForBubble(chat, "正常的话");
    expect(
      bubbles(chat)
        .filter((bubble) => refused.includes(bubble.text))
        .map((bubble) => bubble.status),
    ).toEqual(refused.map(() => "failed"));
    const { server } = appServer;
    const bob = await devLogin(server, "bob");
    const history = await api(server, bob.token).history(conversationId);
    expect(history.messages.map((message) => (message.body.kind === "text" ? message.body.text : ""))).toEqual([
      "正常的话",
    ]);
  });
});
