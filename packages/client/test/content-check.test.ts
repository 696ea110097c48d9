import { type FakeWeChat, startFakeWeChat } from "@mpchat/server/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SendFailedError } from "../src/errors";
import { RestApi } from "../src/rest-api";
import { nodeHttp, realClient, until, useRealServer } from "./support/real-server";

const RISKY = "赌博网站";

/**
 * The client against a real server whose text check is WeChat's msg_sec_check
 * (a fake WeChat on 127.0.0.1): a refused text fails for good, a check that is
 * down is retried by the outbox until WeChat is back.
 */
describe("ChatClient and the server's content check", () => {
  const real = useRealServer();
  let fake: FakeWeChat;
  beforeEach(async () => {
    fake = await startFakeWeChat(
      {
        "login-alice": { openid: "o_alice", session_key: "k" },
        "login-bob": { openid: "o_bob", session_key: "k" },
      },
      { words: { [RISKY]: "risky" } },
    );
  });
  afterEach(() => fake.close());

  async function aliceAndBob() {
    const server = await real.start({
      config: {
        wechat: { appId: "wxapp", secret: "appsecret" },
        wechatApiBase: fake.baseUrl,
        content: {
          mode: "wechat",
          webhookUrl: undefined,
          wordListPath: undefined,
          review: "allow",
          onError: "retry",
          timeoutMs: 3000,
        },
      },
    });
    const rest = new RestApi({ httpBase: server.httpUrl, http: nodeHttp });
    const backoff = { baseMs: 50, maxMs: 200 };
    const alice = realClient(server, (await rest.wechatLogin("login-alice")).token, { backoff });
    const bob = realClient(server, (await rest.wechatLogin("login-bob")).token, { backoff });
    real.onCleanup(
      () => alice.client.close(),
      () => bob.client.close(),
    );
    alice.client.connect();
    bob.client.connect();
    await until(alice.client, () => alice.client.state === "online", "alice online");
    await until(bob.client, () => bob.client.state === "online", "bob online");
    const direct = await alice.client.createDirect("wx_o_bob");
    return { alice, bob, direct };
  }

  const checksOf = (content: string) =>
    fake.log.filter((call) => call.api === "msg_sec_check" && call.body.content === content).length;

  it("marks a refused text failed with content_rejected and never sends it again", { timeout: 30_000 }, async () => {
    const { alice, direct } = await aliceAndBob();
    const handle = alice.client.send(direct.id, `来看 ${RISKY}`);
    const error: unknown = await handle.done.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SendFailedError);
    expect(error).toMatchObject({ code: "content_rejected", clientMsgId: handle.clientMsgId });
    expect(alice.client.outbox()).toMatchObject([{ clientMsgId: handle.clientMsgId, status: "failed", attempts: 1 }]);
    // a later message goes through, and the refused one was checked once only
    await alice.client.send(direct.id, "后面这条").done;
    expect(checksOf(`来看 ${RISKY}`)).toBe(1);
    expect(alice.client.outbox().map((entry) => entry.status)).toEqual(["failed"]);
  });

  it("keeps a text in the outbox while WeChat is down and delivers it once it is back", {
    timeout: 30_000,
  }, async () => {
    const { alice, bob, direct } = await aliceAndBob();
    fake.fail("msg_sec_check", { status: 500 });
    const retried = new Promise<void>((resolve) => {
      let seen = 0;
      const wait = () => void fake.nextCall("msg_sec_check").then(() => (++seen >= 2 ? resolve() : wait()));
      wait();
    });
    const handle = alice.client.send(direct.id, "while WeChat is down");
    await retried; // sent, refused as unavailable, and sent again by the outbox
    expect(alice.client.outbox()).toMatchObject([{ clientMsgId: handle.clientMsgId, status: "pending" }]);
    fake.heal("msg_sec_check");
    const message = await handle.done;
    await until(bob.client, () => bob.received.some((m) => m.id === message.id), "bob receives it");
    expect(bob.received.filter((m) => m.clientMsgId === handle.clientMsgId)).toHaveLength(1);
    expect(alice.client.outbox()).toEqual([]);
  });
});
