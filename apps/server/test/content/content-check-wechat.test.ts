import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "../support/client";
import { type FakeWeChat, startFakeWeChat } from "../support/fake-wechat";
import type { TestServer } from "../support/server";
import { loginAnswers, startCheckedServer, wechatClient } from "./wechat-users";

const RISKY = "赌博网站";
const REVIEW = "可疑内容";
const SLOW = "慢慢检查";

describe("content checks with WeChat msg_sec_check", () => {
  let fake: FakeWeChat;
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let direct: string;

  beforeAll(async () => {
    fake = await startFakeWeChat(loginAnswers(["alice", "bob", "carol"]), {
      words: { [RISKY]: "risky", [REVIEW]: "review" },
      slowWords: { [SLOW]: 400 },
    });
    server = await startCheckedServer(fake);
    alice = await wechatClient(server, "alice");
    bob = await wechatClient(server, "bob");
    direct = (await alice.api(server).createDirect(bob.userId)).id;
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.close();
    await fake?.close();
  });
  afterEach(() => {
    fake.heal("msg_sec_check");
  });

  const checksOf = (content: string) =>
    fake.log.filter((call) => call.api === "msg_sec_check" && call.body.content === content);

  it("checks a text with the author's openid and scene 2 before storing it", async () => {
    const ack = await alice.sendText(direct, "你好 bob");
    expect(ack).toMatchObject({ type: "ack", seq: expect.any(Number) });
    expect(checksOf("你好 bob").map((call) => call.body)).toEqual([
      { version: 2, openid: "o_alice", scene: 2, content: "你好 bob" },
    ]);
    expect(checksOf("你好 bob")[0]?.accessToken).toBe(fake.currentToken);
  });

  it("refuses a risky text with content_rejected and stores it nowhere", async () => {
    const before = (await alice.api(server).history(direct)).messages.length;
    const texts = [RISKY, `前面 ${RISKY} 后面`, `${RISKY}\n第二行`];
    for (const text of texts) {
      const answer = await alice.sendText(direct, text);
      expect(answer, text).toMatchObject({ type: "error", code: "content_rejected" });
    }
    // the next message takes the next seq: nothing was stored in between, bob got none of them
    const after = await alice.sendText(direct, "after the refusals");
    if (after.type !== "ack") throw new Error("not acked");
    await bob.waitFor((frame) => frame.type === "message" && frame.message.id === after.messageId);
    const history = (await alice.api(server).history(direct)).messages;
    expect(history.length).toBe(before + 1);
    expect(history.map((message) => message.body)).not.toContainEqual(expect.objectContaining({ text: RISKY }));
    const seenTexts = bob.messagesIn(direct).map((frame) => (frame.message.body as { text?: string }).text);
    for (const text of texts) expect(seenTexts).not.toContain(text);
    // the connection and the server go on serving
    expect(await bob.sendText(direct, "still here")).toMatchObject({ type: "ack" });
  });

  it("lets a review verdict through by default (CONTENT_CHECK_REVIEW=allow)", async () => {
    const answer = await alice.sendText(direct, `这是${REVIEW}`);
    if (answer.type !== "ack") throw new Error(`not acked: ${answer.message}`);
    await bob.waitFor((frame) => frame.type === "message" && frame.message.id === answer.messageId);
  });

  it("checks a group title (scene 3) and a name (scene 1), refusing with 422 content_rejected", async () => {
    const refused = await alice.api(server).raw("POST", "/v1/conversations", {
      kind: "group",
      title: `${RISKY}群`,
      memberIds: [bob.userId],
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: "content_rejected" } });
    expect((await bob.api(server).conversations()).map((c) => c.title)).not.toContain(`${RISKY}群`);
    expect(checksOf(`${RISKY}群`).map((call) => call.body.scene)).toEqual([3]);

    const group = await alice.api(server).createGroup("周末爬山", [bob.userId]);
    expect(group.title).toBe("周末爬山");
    expect(checksOf("周末爬山").map((call) => call.body.scene)).toEqual([3]);

    const badName = await alice.api(server).raw("PATCH", "/v1/me", { name: RISKY });
    expect(badName.status).toBe(422);
    expect(badName.body).toMatchObject({ error: { code: "content_rejected" } });
    expect((await alice.api(server).me()).name).not.toBe(RISKY);
    expect(checksOf(RISKY).some((call) => call.body.scene === 1)).toBe(true);
    expect(await alice.api(server).raw("PATCH", "/v1/me", { name: "Alice" })).toMatchObject({ status: 200 });
  });

  it("checks a text over 2,500 code points in overlapping pieces, finding a word across the boundary", async () => {
    // the risky word straddles code point 2,500
    const text = `${"字".repeat(2498)}${RISKY}${"文".repeat(1000)}`;
    const calls = fake.count("msg_sec_check");
    expect(await alice.sendText(direct, text)).toMatchObject({ type: "error", code: "content_rejected" });
    const pieces = fake.log.slice(-(fake.count("msg_sec_check") - calls)).map((call) => String(call.body.content));
    expect(pieces.length).toBe(2);
    for (const piece of pieces) expect(Array.from(piece).length).toBeLessThanOrEqual(2500);
    expect(pieces.some((piece) => piece.includes(RISKY))).toBe(true);
    // and a long clean text passes, never refused for its length alone
    expect(await alice.sendText(direct, "长".repeat(4000))).toMatchObject({ type: "ack" });
  });

  it("checks dev-login users (no openid) by the word list only: WeChat is never asked", async () => {
    const dev = await TestClient.connect(server, "dave");
    const conversation = (await dev.api(server).createDirect(alice.userId)).id;
    const calls = fake.count("msg_sec_check");
    expect(await dev.sendText(conversation, RISKY)).toMatchObject({ type: "ack" });
    expect(fake.count("msg_sec_check")).toBe(calls);
    await dev.close();
  });

  it("answers unavailable while WeChat is down, and stores the text once the outbox retries after it is back", async () => {
    const failures = [{ status: 500 }, { errcode: -1 }] as const;
    for (const failure of failures) {
      fake.fail("msg_sec_check", failure);
      const clientMsgId = `down-${JSON.stringify(failure)}`;
      const refused = await alice.sendText(direct, "sent while WeChat is down", clientMsgId);
      expect(refused, JSON.stringify(failure)).toMatchObject({ type: "error", code: "unavailable" });
      fake.heal("msg_sec_check");
      const retried = await alice.sendText(direct, "sent while WeChat is down", clientMsgId);
      expect(retried).toMatchObject({ type: "ack" });
      const pushed = await bob.waitFor(
        (frame) => frame.type === "message" && frame.message.clientMsgId === clientMsgId,
      );
      expect(pushed.type).toBe("message");
      expect(bob.messagesIn(direct).filter((frame) => frame.message.clientMsgId === clientMsgId)).toHaveLength(1);
    }
  });

  it("a slow check holds only its own sender's later sends into that conversation, not anyone else's", async () => {
    const slowId = `slow-${Date.now()}`;
    const slow = alice.sendText(direct, `${SLOW} 第一条`, slowId);
    const next = alice.sendText(direct, "第二条", `${slowId}-2`);
    // bob's send in the same conversation does not wait for alice's slow check
    const bobs = await bob.sendText(direct, "bob does not wait");
    let slowDone = false;
    void slow.then(() => {
      slowDone = true;
    });
    expect(bobs).toMatchObject({ type: "ack" });
    expect(slowDone).toBe(false);
    const [first, second] = await Promise.all([slow, next]);
    if (first.type !== "ack" || second.type !== "ack") throw new Error("not acked");
    // alice's two sends keep the order they were sent in
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(bobs.type === "ack" && bobs.seq).toBeLessThan(first.seq);
  });
});

describe("content checks: CONTENT_CHECK_REVIEW=reject, the word list first, and a timeout", () => {
  let fake: FakeWeChat;
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let direct: string;

  beforeAll(async () => {
    fake = await startFakeWeChat(loginAnswers(["alice", "bob"]), { words: { [REVIEW]: "review" } });
    const dir = await import("node:os").then((os) => os.tmpdir());
    const wordListPath = join(dir, `mpchat-words-${process.pid}-${Date.now()}.txt`);
    await writeFile(wordListPath, "# local list\n\nforbidden\n禁词\n");
    // WeChat's own call timeout far above the check's: the check's timeout is what answers
    server = await startCheckedServer(
      fake,
      { review: "reject", wordListPath, timeoutMs: 1000 },
      { wechatTimeoutMs: 30_000 },
    );
    alice = await wechatClient(server, "alice");
    bob = await wechatClient(server, "bob");
    direct = (await alice.api(server).createDirect(bob.userId)).id;
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.close();
    await fake?.close();
  });

  it("refuses a review verdict with content_rejected", async () => {
    expect(await alice.sendText(direct, `这是${REVIEW}`)).toMatchObject({ type: "error", code: "content_rejected" });
    expect((await alice.api(server).history(direct)).messages).toEqual([]);
  });

  it("refuses a word-list match without asking WeChat", async () => {
    const calls = fake.count("msg_sec_check");
    for (const text of ["FORBIDDEN", "ｆｏｒｂｉｄｄｅｎ!", "这是禁词"]) {
      expect(await alice.sendText(direct, text), text).toMatchObject({ type: "error", code: "content_rejected" });
    }
    expect(fake.count("msg_sec_check")).toBe(calls);
  });

  it("answers unavailable when WeChat does not answer within CONTENT_CHECK_TIMEOUT_MS", async () => {
    fake.fail("msg_sec_check", "hang", 1);
    const started = performance.now();
    expect(await alice.sendText(direct, "hello", "hang-1")).toMatchObject({ type: "error", code: "unavailable" });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await alice.sendText(direct, "hello", "hang-1")).toMatchObject({ type: "ack", seq: 1 });
  });
});

describe("content checks: CONTENT_CHECK_ON_ERROR=allow", () => {
  it("lets a text pass while WeChat is down", async () => {
    const fake = await startFakeWeChat(loginAnswers(["alice", "bob"]));
    const server = await startCheckedServer(fake, { onError: "allow" });
    try {
      const alice = await wechatClient(server, "alice");
      const bob = await wechatClient(server, "bob");
      const direct = (await alice.api(server).createDirect(bob.userId)).id;
      fake.fail("msg_sec_check", { status: 500 });
      expect(await alice.sendText(direct, "passes unchecked")).toMatchObject({ type: "ack", seq: 1 });
      await Promise.all([alice.close(), bob.close()]);
    } finally {
      await server.close();
      await fake.close();
    }
  });
});
