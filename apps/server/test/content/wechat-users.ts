import type { AuthResponse } from "@mpchat/protocol";
import type { ContentConfig } from "../../src/content/content-config";
import { rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import type { FakeWeChat } from "../support/fake-wechat";
import { startTestServer, type TestConfig, type TestServer } from "../support/server";

/** The jscode2session answers of the fake: the code `login-<name>` logs in the openid `o_<name>`. */
export function loginAnswers(names: readonly string[]): Record<string, object> {
  return Object.fromEntries(names.map((name) => [`login-${name}`, { openid: `o_${name}`, session_key: "k" }]));
}

export function contentConfig(overrides: Partial<ContentConfig> = {}): ContentConfig {
  return {
    mode: "wechat",
    webhookUrl: undefined,
    wordListPath: undefined,
    review: "allow",
    onError: "retry",
    timeoutMs: 3000,
    ...overrides,
  };
}

/** A server with WeChat login and CONTENT_CHECK=wechat against the fake (dev login forced on too). */
export function startCheckedServer(
  fake: FakeWeChat,
  content: Partial<ContentConfig> = {},
  extra: TestConfig = {},
): Promise<TestServer> {
  return startTestServer({
    config: {
      wechat: { appId: "wxapp", secret: "appsecret" },
      wechatApiBase: fake.baseUrl,
      wechatTimeoutMs: 2000,
      devLogin: true,
      content: contentConfig(content),
      ...extra,
    },
  });
}

/** Logs in through WeChat as `o_<name>` (user id `wx_o_<name>`) and opens an authenticated socket. */
export async function wechatClient(server: TestServer, name: string): Promise<TestClient> {
  const answer = await rawRequest(server, "POST", "/v1/auth/wechat", { body: { code: `login-${name}` } });
  if (answer.status !== 200) throw new Error(`wechat login failed: ${JSON.stringify(answer.body)}`);
  const { token, user } = answer.body as AuthResponse;
  const client = await TestClient.open(server);
  const ready = await client.request({ type: "auth", token });
  if (ready.type !== "ready") throw new Error(`auth failed: ${JSON.stringify(ready)}`);
  client.userId = user.id;
  client.token = token;
  return client;
}
