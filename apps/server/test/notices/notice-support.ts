import type { AuthResponse } from "@mpchat/protocol";
import type { NoticeConfig } from "../../src/notices/notice-config";
import { contentConfig } from "../content/wechat-users";
import { rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import type { FakeCall, FakeWeChat } from "../support/fake-wechat";
import type { TestConfig, TestServer } from "../support/server";

export const TEMPLATE = "TPL_offline-notice_0123456789";

export const NOTICES: NoticeConfig = {
  templateId: TEMPLATE,
  fields: [
    { key: "thing1", kind: "thing", role: "conversation" },
    { key: "number2", kind: "number", role: "count" },
    { key: "time3", kind: "time", role: "time" },
    { key: "thing4", kind: "thing", role: "hint" },
  ],
  hint: "你有新消息",
  state: "formal",
  lang: "zh_CN",
};

/** WeChat login against the fake, content checks off, notices on. */
export function noticeServerConfig(fake: FakeWeChat, extra: TestConfig = {}): TestConfig {
  return {
    wechat: { appId: "wxapp", secret: "appsecret" },
    wechatApiBase: fake.baseUrl,
    wechatTimeoutMs: 2000,
    devLogin: true,
    content: contentConfig({ mode: "off" }),
    notices: NOTICES,
    ...extra,
  };
}

/** Logs in through WeChat as `o_<name>` (user id `wx_o_<name>`); the token only, no socket. */
export async function wechatLogin(server: { httpUrl: string }, name: string): Promise<AuthResponse> {
  const answer = await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code: `login-${name}` } });
  if (answer.status !== 200) throw new Error(`wechat login failed: ${JSON.stringify(answer.body)}`);
  return answer.body as AuthResponse;
}

/** An authenticated socket of an already logged-in user. */
export async function connectAs(server: { wsUrl: string }, auth: AuthResponse): Promise<TestClient> {
  const client = await TestClient.open(server);
  const ready = await client.request({ type: "auth", token: auth.token });
  if (ready.type !== "ready") throw new Error(`auth failed: ${JSON.stringify(ready)}`);
  client.userId = auth.user.id;
  client.token = auth.token;
  return client;
}

/** Closes `leaving` and waits until `watcher` (a contact) hears that they are offline everywhere. */
export async function goOffline(leaving: TestClient, watcher: TestClient): Promise<void> {
  const from = watcher.frames.length;
  await leaving.close();
  await watcher.waitFor(
    (frame) => frame.type === "presence" && frame.userId === leaving.userId && !frame.online,
    undefined,
    { fromIndex: from },
  );
}

/** Opens a socket and waits until the watcher hears the user online. */
export async function goOnline(
  server: { wsUrl: string },
  auth: AuthResponse,
  watcher: TestClient,
): Promise<TestClient> {
  const from = watcher.frames.length;
  const client = await connectAs(server, auth);
  await watcher.waitFor(
    (frame) => frame.type === "presence" && frame.userId === auth.user.id && frame.online,
    undefined,
    { fromIndex: from },
  );
  return client;
}

export function sentTo(fake: FakeWeChat, openid: string): FakeCall[] {
  return fake.log.filter((call) => call.api === "subscribe_send" && call.body.touser === openid);
}

/** Waits until every instance's notifier has finished what it was told (the ack comes after it was told). */
export async function drained(...servers: TestServer[]): Promise<void> {
  await Promise.all(servers.map((server) => server.app.notifier?.drain()));
}
