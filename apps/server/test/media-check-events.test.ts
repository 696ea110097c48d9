import type { AuthResponse, ClientBody, Media, MessageFrame, ServerFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAnswers, startCheckedServer } from "./content/wechat-users";
import { type RawAnswer, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { type FakeWeChat, startFakeWeChat } from "./support/fake-wechat";
import { cid, fixture, photo, upload } from "./support/media-uploads";
import type { TestServer } from "./support/server";
import { TcpProxy } from "./support/tcp-proxy";
import {
  encryptedPush,
  mediaCheckEvent,
  PUSH_AES_KEY,
  PUSH_TOKEN,
  sha1Sorted,
  signedQuery,
} from "./support/wechat-push";

const APP_ID = "wxapp";

interface WeChatUser {
  client: TestClient;
  token: string;
  mediaToken: string;
  userId: string;
}

describe("WeChat's async media check: media_check_async, the message push and its verdicts", () => {
  let fake: FakeWeChat;
  let proxy: TcpProxy;
  let server: TestServer;
  let alice: WeChatUser;
  let bob: WeChatUser;
  let direct: string;

  beforeAll(async () => {
    fake = await startFakeWeChat(loginAnswers(["alice", "bob"]));
    // The server's "public" address (PUBLIC_BASE_URL) is known before the server listens: a proxy to it.
    let serverPort = 0;
    proxy = await TcpProxy.start(() => [serverPort]);
    server = await startCheckedServer(
      fake,
      {},
      { publicBaseUrl: proxy.httpUrl, wechatPush: { token: PUSH_TOKEN, aesKey: PUSH_AES_KEY } },
    );
    serverPort = Number(new URL(server.httpUrl).port);
    alice = await login("alice");
    bob = await login("bob");
    direct = (await alice.client.api(server).createDirect(bob.userId)).id;
  });
  afterAll(async () => {
    await Promise.all([alice?.client.close(), bob?.client.close()]);
    await server?.close();
    await proxy?.close();
    await fake?.close();
  });

  async function login(name: string): Promise<WeChatUser> {
    const answer = await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code: `login-${name}` } });
    const auth = answer.body as AuthResponse;
    const client = await TestClient.open(server);
    const ready = await client.request({ type: "auth", token: auth.token });
    if (ready.type !== "ready") throw new Error(`auth failed: ${JSON.stringify(ready)}`);
    client.userId = auth.user.id;
    client.token = auth.token;
    return { client, token: auth.token, mediaToken: auth.mediaToken ?? "", userId: auth.user.id };
  }

  /** Uploads an image as `user` and waits for the media check WeChat was asked for, its stored trace_id (and its fetch). */
  async function uploadChecked(user: WeChatUser, kind: "image" | "voice" = "image") {
    const called = fake.nextCall("media_check_async");
    const fetched = fake.nextFetch();
    const bytes = kind === "image" ? await photo(24, 16) : await fixture("voice-2s.aac");
    const answer = await upload(
      server,
      user.token,
      { kind, clientMediaId: cid() },
      bytes,
      kind === "image" ? "a.jpg" : "v.aac",
    );
    expect(answer.status).toBe(201);
    const call = await called;
    // The trace_id is stored once WeChat's answer is read, after the call the fake saw.
    await server.app.mediaCheck.settled();
    return { media: answer.body.media, call, traceId: call.traceId ?? "", fetch: await fetched };
  }

  async function sendMedia(media: Media): Promise<string> {
    const body: ClientBody =
      media.kind === "image"
        ? { kind: "image", mediaId: media.id, width: 1, height: 1 }
        : { kind: "voice", mediaId: media.id, durationMs: 1 };
    const ack = await alice.client.request({ type: "send", conversationId: direct, clientMsgId: cid(), body });
    if (ack.type !== "ack") throw new Error(`not acked: ${JSON.stringify(ack)}`);
    await bob.client.waitFor((frame) => frame.type === "message" && frame.message.id === ack.messageId);
    return ack.messageId;
  }

  const push = (query: Record<string, string>, body: unknown): Promise<RawAnswer> =>
    rawRequest(server, "POST", `/v1/wechat/events?${new URLSearchParams(query)}`, { body });
  const plainVerdict = (traceId: string, suggest: "pass" | "risky") =>
    push(signedQuery(), mediaCheckEvent(traceId, suggest, APP_ID));
  const mediaStatus = async (media: Media, user: WeChatUser) =>
    (await fetch(`${server.httpUrl}/v1/media/${media.id}?t=${user.mediaToken}`)).status;
  const recallsOf = (client: TestClient, messageId: string) =>
    client
      .messagesIn(direct)
      .filter((frame) => frame.message.body.kind === "recall" && frame.message.body.messageId === messageId);

  it("asks media_check_async for an uploaded image and voice (v2, the uploader's openid), with a URL WeChat can fetch", async () => {
    const image = await uploadChecked(alice);
    expect(image.call.body).toEqual({
      version: 2,
      openid: "o_alice",
      scene: 2,
      media_type: 2,
      media_url: expect.stringMatching(new RegExp(`^${proxy.httpUrl}/v1/media/${image.media.id}\\?t=check\\.`)),
    });
    expect(image.call.accessToken).toBe(fake.currentToken);
    // WeChat, without any session, got the bytes through PUBLIC_BASE_URL
    expect(image.fetch).toMatchObject({ status: 200, bytes: image.media.size, contentType: "image/jpeg" });
    const voice = await uploadChecked(alice, "voice");
    expect(voice.call.body).toMatchObject({ openid: "o_alice", media_type: 1 });
    expect(voice.fetch.status).toBe(200);
  });

  it("refuses a check URL for another media, an altered one, and its thumbnail (404)", async () => {
    const { media, call } = await uploadChecked(alice);
    const other = await uploadChecked(alice);
    const url = new URL(String(call.body.media_url));
    const token = url.searchParams.get("t") ?? "";
    const bad = [
      `/v1/media/${other.media.id}?t=${token}`,
      `/v1/media/${media.id}?t=${token.slice(0, -2)}AA`,
      `/v1/media/${media.id}?t=check.1.${token.split(".")[2]}`,
      `/v1/media/${media.id}/thumb?t=${token}`,
      `/v1/media/${media.id}?t=check.`,
    ];
    for (const path of bad) expect((await fetch(`${server.httpUrl}${path}`)).status, path).toBe(404);
    expect((await fetch(`${server.httpUrl}${url.pathname}${url.search}`)).status).toBe(200);
  });

  it("a risky image is recalled by moderation for everyone after the event, once, and its bytes are gone", async () => {
    const { media, traceId } = await uploadChecked(alice);
    const messageId = await sendMedia(media);
    // (the uploader reads it; on this branch a message's members do not yet: main's message_media does that)
    expect(await mediaStatus(media, alice)).toBe(200);

    const recalledForBob = bob.client.waitFor(
      (frame): frame is MessageFrame =>
        frame.type === "message" && frame.message.body.kind === "recall" && frame.message.body.messageId === messageId,
    );
    const answer = await plainVerdict(traceId, "risky");
    expect(answer).toMatchObject({ status: 200, body: "success" });
    const recall = (await recalledForBob).message;
    expect(recall).toMatchObject({ senderId: "system", body: { kind: "recall", messageId, by: "moderation" } });
    await alice.client.waitFor((frame) => frame.type === "message" && frame.message.id === recall.id);

    for (const user of [alice, bob]) {
      const history = (await user.client.api(server).history(direct)).messages;
      expect(history.find((message) => message.id === messageId)?.body.kind).toBe("recalled");
      expect(await mediaStatus(media, user)).toBe(404);
    }
    // WeChat repeats an event it got no answer to in time: nothing happens twice
    expect(await plainVerdict(traceId, "risky")).toMatchObject({ status: 200, body: "success" });
    const after = await sendMedia((await uploadChecked(alice)).media);
    await alice.client.waitFor((frame) => frame.type === "message" && frame.message.id === after);
    expect(recallsOf(bob.client, messageId)).toHaveLength(1);
    expect(recallsOf(alice.client, messageId)).toHaveLength(1);
  });

  it("an encrypted (safe mode) risky verdict for a voice message works the same", async () => {
    const { media, traceId } = await uploadChecked(alice, "voice");
    const messageId = await sendMedia(media);
    const recalled = bob.client.waitFor(
      (frame) =>
        frame.type === "message" && frame.message.body.kind === "recall" && frame.message.body.messageId === messageId,
    );
    const { query, body } = encryptedPush(mediaCheckEvent(traceId, "risky", APP_ID), APP_ID);
    expect(await push(query, body)).toMatchObject({ status: 200, body: "success" });
    await recalled;
    expect(await mediaStatus(media, alice)).toBe(404);
  });

  it("a pass verdict changes nothing", async () => {
    const { media, traceId } = await uploadChecked(alice);
    const messageId = await sendMedia(media);
    expect(await plainVerdict(traceId, "pass")).toMatchObject({ status: 200, body: "success" });
    // a later message arrives, and no recall came before it
    const later = await alice.client.sendText(direct, "after the pass");
    if (later.type !== "ack") throw new Error("not acked");
    await bob.client.waitFor((frame) => frame.type === "message" && frame.message.id === later.messageId);
    expect(recallsOf(bob.client, messageId)).toHaveLength(0);
    const history = (await bob.client.api(server).history(direct)).messages;
    expect(history.find((message) => message.id === messageId)?.body.kind).toBe("image");
    // (the uploader reads it; on this branch a message's members do not yet: main's message_media does that)
    expect(await mediaStatus(media, alice)).toBe(200);
  });

  it("a risky avatar is reset: avatarMediaId cleared, a user push to those who see the user", async () => {
    const { media, traceId } = await uploadChecked(bob);
    const set = await rawRequest(server, "PATCH", "/v1/me", { token: bob.token, body: { avatarMediaId: media.id } });
    expect(set.status).toBe(200);
    await alice.client.waitFor(
      (frame: ServerFrame) =>
        frame.type === "user" && frame.user.id === bob.userId && frame.user.avatarMediaId === media.id,
    );
    const reset = alice.client.waitFor(
      (frame: ServerFrame) =>
        frame.type === "user" && frame.user.id === bob.userId && frame.user.avatarMediaId === undefined,
    );
    const bobsOwn = bob.client.waitFor(
      (frame: ServerFrame) =>
        frame.type === "user" && frame.user.id === bob.userId && frame.user.avatarMediaId === undefined,
    );
    expect(await plainVerdict(traceId, "risky")).toMatchObject({ status: 200, body: "success" });
    await Promise.all([reset, bobsOwn]);
    const me = await bob.client.api(server).me();
    expect(me.avatarMediaId).toBeUndefined();
    expect(await mediaStatus(media, bob)).toBe(404);
  });

  it("keeps the pending trace_id in the store (a verdict after a restart or on another instance finds it)", async () => {
    const { media, traceId } = await uploadChecked(alice);
    expect(await server.store.findMediaCheck(traceId)).toMatchObject({ traceId, mediaId: media.id });
  });

  it("refuses pushes that are not WeChat's with 401, and does nothing", async () => {
    const { media, traceId } = await uploadChecked(alice);
    const messageId = await sendMedia(media);
    const event = mediaCheckEvent(traceId, "risky", APP_ID);
    const now = Math.floor(Date.now() / 1000);
    const good = signedQuery();
    const encrypted = encryptedPush(event, APP_ID);
    const cases: [string, Record<string, string>, unknown][] = [
      [
        "a wrong signature",
        { ...good, signature: sha1Sorted(["other", good.timestamp ?? "", good.nonce ?? ""]) },
        event,
      ],
      ["no signature", { timestamp: good.timestamp ?? "", nonce: good.nonce ?? "" }, event],
      ["no query at all", {}, event],
      ["a timestamp 6 minutes behind", signedQuery({ timestamp: now - 360 }), event],
      ["a timestamp 6 minutes ahead", signedQuery({ timestamp: now + 360 }), event],
      ["a plain event for another appid", signedQuery(), mediaCheckEvent(traceId, "risky", "wxother")],
      [
        "safe mode: another Token's msg_signature",
        encryptedPush(event, APP_ID, { token: "otherToken" }).query,
        encrypted.body,
      ],
      ["safe mode: msg_signature missing", { ...encrypted.query, msg_signature: "" }, encrypted.body],
      ["safe mode: encrypted for another appid", ...pushOf(encryptedPush(event, "wxother"))],
      ["safe mode: another EncodingAESKey", ...pushOf(encryptedPush(event, APP_ID, { aesKey: "Z".repeat(43) }))],
      ["safe mode: garbage", ...pushOf(garbled(encrypted))],
      ["safe mode: a timestamp 6 minutes off", ...pushOf(encryptedPush(event, APP_ID, { timestamp: now - 360 }))],
      ["a body that is not an object", signedQuery(), [event]],
    ];
    for (const [name, query, body] of cases) {
      const answer = await push(query, body);
      expect(answer.status, name).toBe(401);
      expect(answer.body, name).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(recallsOf(bob.client, messageId)).toHaveLength(0);
    // (the uploader reads it; on this branch a message's members do not yet: main's message_media does that)
    expect(await mediaStatus(media, alice)).toBe(200);
    expect(await server.store.findMediaCheck(traceId)).not.toBeNull();
    // the server goes on serving: the real verdict still works
    expect(await plainVerdict(traceId, "risky")).toMatchObject({ status: 200, body: "success" });
  });

  it("answers WeChat's URL verification with echostr, only when signed", async () => {
    const verify = (query: Record<string, string>) =>
      rawRequest(server, "GET", `/v1/wechat/events?${new URLSearchParams(query)}`);
    const ok = await verify({ ...signedQuery(), echostr: "1234567890abc" });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe("1234567890abc");
    const bad = [
      { ...signedQuery({ token: "nope" }), echostr: "x" },
      { ...signedQuery({ timestamp: Math.floor(Date.now() / 1000) - 400 }), echostr: "x" },
      { echostr: "x" },
    ];
    for (const query of bad) expect((await verify(query)).status, JSON.stringify(query)).toBe(401);
  });
});

function pushOf(parts: { query: Record<string, string>; body: unknown }): [Record<string, string>, unknown] {
  return [parts.query, parts.body];
}

/** A correctly signed push whose Encrypt is not AES of anything (msg_signature recomputed over it). */
function garbled(parts: { query: Record<string, string>; body: { ToUserName: string; Encrypt: string } }) {
  const Encrypt = Buffer.from("not aes at all, just some bytes!").toString("base64");
  const query = {
    ...parts.query,
    msg_signature: sha1Sorted([PUSH_TOKEN, parts.query.timestamp ?? "", parts.query.nonce ?? "", Encrypt]),
  };
  return { query, body: { ...parts.body, Encrypt } };
}
