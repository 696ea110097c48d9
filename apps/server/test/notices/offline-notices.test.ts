import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuthResponse } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import { loginAnswers } from "../content/wechat-users";
import { api, devLogin, rawRequest } from "../support/api";
import type { TestClient } from "../support/client";
import { type FakeWeChat, startFakeWeChat } from "../support/fake-wechat";
import { startTestServer, type TestServer } from "../support/server";
import {
  connectAs,
  drained,
  goOffline,
  goOnline,
  NOTICES,
  noticeServerConfig,
  sentTo,
  TEMPLATE,
  wechatLogin,
} from "./notice-support";

const SECRET = "the secret plan 机密内容";
const LONG_TITLE = "这是一个名字非常非常长的群聊名称超过了二十个字符的限制";
const muted = new Set<string>();

describe("offline notices (one instance, SQLite, restarted)", () => {
  let fake: FakeWeChat;
  let dataDir: string;
  let store: Store;
  let server: TestServer;
  let alice: AuthResponse;
  let bob: AuthResponse;
  let carol: AuthResponse;
  let watcher: TestClient;
  let direct: string;

  const start = async () =>
    startTestServer({
      // One secret across the restart: the tokens stay good, as in a real deployment.
      config: noticeServerConfig(fake, { tokenSecret: "s".repeat(48) }),
      deps: {
        store,
        noticeMutes: {
          mutedAmong: async (conversationId, userIds) =>
            new Set(userIds.filter((id) => muted.has(`${conversationId}/${id}`))),
        },
      },
    });
  const send = async (as: AuthResponse, conversationId: string, text: string) => {
    const client = await connectAs(server, as);
    try {
      const ack = await client.sendText(conversationId, text);
      if (ack.type !== "ack") throw new Error(`not acked: ${JSON.stringify(ack)}`);
      return ack;
    } finally {
      await client.close();
    }
  };
  const credits = async (as: AuthResponse) => {
    const answer = await api(server, as.token).raw("GET", "/v1/notifications/subscriptions");
    return (answer.body as { subscriptions: { templateId: string; credits: number }[] }).subscriptions;
  };

  beforeAll(async () => {
    fake = await startFakeWeChat(loginAnswers(["alice", "bob", "carol"]));
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-notices-"));
    store = await openStore({ dataDir, timeoutMs: 10_000 });
    server = await start();
    alice = await wechatLogin(server, "alice");
    bob = await wechatLogin(server, "bob");
    carol = await wechatLogin(server, "carol");
    await api(server, alice.token).raw("PATCH", "/v1/me", { name: "Alice 🌸" });
    direct = (await api(server, alice.token).createDirect(bob.user.id)).id;
    // carol watches bob's presence (they share a group) and stays online throughout
    await api(server, carol.token).createGroup("watchers", [bob.user.id]);
  });
  afterAll(async () => {
    await watcher?.close();
    await server?.close();
    await store?.close();
    await fake?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps the subscription ledger: GET lists the template, POST adds acceptances", async () => {
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 0 }]);
    const added = await api(server, bob.token).raw("POST", "/v1/notifications/subscriptions", {
      templateId: TEMPLATE,
      accepted: 1,
    });
    expect(added).toMatchObject({ status: 200, body: { subscription: { templateId: TEMPLATE, credits: 1 } } });
    await api(server, bob.token).raw("POST", "/v1/notifications/subscriptions", { templateId: TEMPLATE, accepted: 4 });
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 5 }]);
  });

  it("refuses bad reports with 400, storing nothing; 401 without a token", async () => {
    const bad: unknown[] = [
      { templateId: "someone-elses-template", accepted: 1 },
      { templateId: TEMPLATE, accepted: -1 },
      { templateId: TEMPLATE, accepted: 1.5 },
      { templateId: TEMPLATE, accepted: "1" },
      { templateId: TEMPLATE, accepted: 101 },
      { templateId: TEMPLATE },
      { accepted: 1 },
      { templateId: "has spaces", accepted: 1 },
      { templateId: "", accepted: 1 },
      { templateId: "x".repeat(65), accepted: 1 },
      { templateId: 42, accepted: 1 },
      null,
      [],
    ];
    for (const body of bad) {
      const answer = await api(server, alice.token).raw("POST", "/v1/notifications/subscriptions", body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: "bad_request" } });
    }
    expect(await credits(alice)).toEqual([{ templateId: TEMPLATE, credits: 0 }]);
    const anonymous = await api(server, "not-a-token").raw("GET", "/v1/notifications/subscriptions");
    expect(anonymous.status).toBe(401);
  });

  it("sends one notice per conversation per offline spell, naming it and a count, never the content", async () => {
    watcher = await connectAs(server, carol);
    const bobOnline = await goOnline(server, bob, watcher);
    // online: nothing
    await send(alice, direct, `${SECRET} while bob is here`);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(0);

    await goOffline(bobOnline, watcher);
    const first = await send(alice, direct, `${SECRET} 1`);
    await send(alice, direct, `${SECRET} 2`);
    await send(alice, direct, `${SECRET} 3`);
    await drained(server);
    const sent = sentTo(fake, "o_bob");
    expect(sent).toHaveLength(1);
    const call = sent[0];
    expect(call?.accessToken).toBe(fake.currentToken);
    expect(call?.body).toEqual({
      touser: "o_bob",
      template_id: TEMPLATE,
      page: `pages/chat/chat?id=${direct}`,
      data: {
        thing1: { value: "Alice 🌸" },
        // bob read nothing: every message so far is unread
        number2: { value: String(first.seq) },
        time3: { value: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/) },
        thing4: { value: "你有新消息" },
      },
      miniprogram_state: "formal",
      lang: "zh_CN",
    });
    expect(Object.keys(call?.body.data as object)).toEqual(NOTICES.fields.map((f) => f.key));
    expect(JSON.stringify(call?.body)).not.toMatch(/secret|机密/);
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 4 }]);
  });

  it("never sends a second notice for the same spell after a restart", async () => {
    await watcher.close();
    await server.close();
    await store.close();
    store = await openStore({ dataDir, timeoutMs: 10_000 });
    server = await start();
    watcher = await connectAs(server, carol);
    await send(alice, direct, `${SECRET} after the restart`);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(1);
  });

  it("a new spell (back online, then offline again) gets a new notice", async () => {
    const back = await goOnline(server, bob, watcher);
    await send(alice, direct, `${SECRET} seen live`);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(1);
    await goOffline(back, watcher);
    await send(alice, direct, `${SECRET} next spell`);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(2);
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 3 }]);
  });

  it("another conversation in the same spell gets its own notice; a long group title is cut to 20, not refused", async () => {
    const group = await api(server, alice.token).createGroup(LONG_TITLE, [bob.user.id]);
    await send(alice, group.id, SECRET);
    await drained(server);
    const sent = sentTo(fake, "o_bob");
    expect(sent).toHaveLength(3);
    const data = (sent[2]?.body.data ?? {}) as Record<string, { value: string }>;
    const thing = data.thing1?.value ?? "";
    expect(Array.from(thing)).toHaveLength(20);
    expect(thing).toBe(`${Array.from(LONG_TITLE).slice(0, 19).join("")}…`);
    expect(sent[2]?.body.page).toBe(`pages/chat/chat?id=${group.id}`);
    // the fake applies WeChat's field rules: nothing was answered 47003
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 2 }]);
  });

  it("43101 zeroes the credits; then no more calls", async () => {
    const group = await api(server, alice.token).createGroup("for 43101", [bob.user.id]);
    fake.fail("subscribe_send", { errcode: 43101, errmsg: "user refuse to accept the msg" }, 1);
    await send(alice, group.id, SECRET);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(4);
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 0 }]);
    const another = await api(server, alice.token).createGroup("after 43101", [bob.user.id]);
    await send(alice, another.id, SECRET);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(4);
    const metrics = await rawRequest(server, "GET", "/metrics");
    const text = String(metrics.body);
    expect(text).toMatch(/mpchat_notices_total\{result="refused"\} 1\b/);
    expect(text).toMatch(/mpchat_notices_total\{result="sent"\} 2\b/);
  });

  it("WeChat down: the credit comes back and the next message sends it", async () => {
    await api(server, bob.token).raw("POST", "/v1/notifications/subscriptions", { templateId: TEMPLATE, accepted: 1 });
    const group = await api(server, alice.token).createGroup("wechat down", [bob.user.id]);
    fake.fail("subscribe_send", { status: 502 }, 1);
    await send(alice, group.id, SECRET);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(5);
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 1 }]);
    await send(alice, group.id, SECRET);
    await drained(server);
    expect(sentTo(fake, "o_bob")).toHaveLength(6);
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 0 }]);
  });

  it("sends nothing to a member who muted the conversation, nor to the sender, nor without an openid", async () => {
    await api(server, bob.token).raw("POST", "/v1/notifications/subscriptions", { templateId: TEMPLATE, accepted: 3 });
    await api(server, alice.token).raw("POST", "/v1/notifications/subscriptions", {
      templateId: TEMPLATE,
      accepted: 3,
    });
    const quiet = await api(server, alice.token).createGroup("muted by bob", [bob.user.id]);
    muted.add(`${quiet.id}/${bob.user.id}`);
    const before = fake.count("subscribe_send");
    await send(alice, quiet.id, SECRET);
    await drained(server);
    expect(fake.count("subscribe_send")).toBe(before);
    // a dev-login user has no openid: nothing to send to; alice, the sender, is never told of her own
    const dave = await devLogin(server, "dave");
    const withDev = await api(server, alice.token).createGroup("with a dev user", [dave.user.id]);
    await send(alice, withDev.id, SECRET);
    await drained(server);
    expect(fake.count("subscribe_send")).toBe(before);
    expect(await credits(bob)).toEqual([{ templateId: TEMPLATE, credits: 3 }]);
    expect(await credits(alice)).toEqual([{ templateId: TEMPLATE, credits: 3 }]);
  });
});
