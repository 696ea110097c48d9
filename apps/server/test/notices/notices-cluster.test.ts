import { randomBytes } from "node:crypto";
import type { AuthResponse } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, REDIS_URL, suiteTitle } from "../cluster/support/env";
import { loginAnswers } from "../content/wechat-users";
import { createFreshDatabase, type FreshDatabase, MYSQL_URL } from "../store/mysql-database";
import { api } from "../support/api";
import type { TestClient } from "../support/client";
import { type FakeWeChat, startFakeWeChat } from "../support/fake-wechat";
import { startTestServer, type TestServer } from "../support/server";
import {
  connectAs,
  drained,
  goOffline,
  goOnline,
  noticeServerConfig,
  sentTo,
  TEMPLATE,
  wechatLogin,
} from "./notice-support";

/**
 * Three app instances in this process sharing one MariaDB database and one
 * Redis (bus, presence, the access_token), as three processes would.
 */
describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(suiteTitle("offline notices across 3 instances"), () => {
  let fake: FakeWeChat;
  let database: FreshDatabase;
  const stores: Store[] = [];
  const servers: TestServer[] = [];
  let alice: AuthResponse;
  let bob: AuthResponse;
  let carol: AuthResponse;
  let watcher: TestClient;
  let direct: string;

  const sendOn = async (server: TestServer, as: AuthResponse, conversationId: string, text: string) => {
    const client = await connectAs(server, as);
    try {
      const ack = await client.sendText(conversationId, text);
      if (ack.type !== "ack") throw new Error(`not acked: ${JSON.stringify(ack)}`);
    } finally {
      await client.close();
    }
  };
  const at = (i: number) => servers[i % servers.length] as TestServer;

  beforeAll(async () => {
    fake = await startFakeWeChat(loginAnswers(["alice", "bob", "carol"]));
    database = await createFreshDatabase(MYSQL_URL ?? "");
    const shared = {
      redisUrl: REDIS_URL,
      redisPrefix: `mpchat-notices-${randomBytes(4).toString("hex")}:`,
      tokenSecret: randomBytes(32).toString("hex"),
    };
    for (let i = 0; i < 3; i++) {
      const store = await openStore({
        databaseUrl: database.url,
        dataDir: "/nonexistent",
        poolSize: 4,
        timeoutMs: 10_000,
      });
      stores.push(store);
      servers.push(await startTestServer({ config: noticeServerConfig(fake, shared), deps: { store } }));
    }
    alice = await wechatLogin(at(0), "alice");
    bob = await wechatLogin(at(1), "bob");
    carol = await wechatLogin(at(2), "carol");
    direct = (await api(at(0), alice.token).createDirect(bob.user.id)).id;
    await api(at(2), carol.token).createGroup("watchers", [bob.user.id]);
    await api(at(1), bob.token).raw("POST", "/v1/notifications/subscriptions", { templateId: TEMPLATE, accepted: 5 });
    watcher = await connectAs(at(2), carol);
  }, CLUSTER_TEST_TIMEOUT);
  afterAll(async () => {
    await watcher?.close();
    await Promise.allSettled(servers.map((server) => server.close()));
    await Promise.allSettled(stores.map((store) => store.close()));
    await database?.drop();
    await fake?.close();
  });

  it(
    "online on another instance: none; offline everywhere: one notice for messages stored on all three",
    async () => {
      const bobOnB = await goOnline(at(1), bob, watcher);
      await sendOn(at(0), alice, direct, "while bob is on B");
      await sendOn(at(2), alice, direct, "while bob is on B, from C");
      await drained(...servers);
      expect(sentTo(fake, "o_bob")).toHaveLength(0);

      await goOffline(bobOnB, watcher);
      // Messages stored on every instance at once: each considers its own, the claim lets one send
      await Promise.all([0, 1, 2, 0, 1, 2].map((i) => sendOn(at(i), alice, direct, `offline ${i}`)));
      await drained(...servers);
      expect(sentTo(fake, "o_bob")).toHaveLength(1);
      const subscriptions = await api(at(0), bob.token).raw("GET", "/v1/notifications/subscriptions");
      expect(subscriptions.body).toEqual({ subscriptions: [{ templateId: TEMPLATE, credits: 4 }] });
      expect(JSON.stringify(sentTo(fake, "o_bob")[0]?.body)).not.toMatch(/offline \d|while bob/);

      // Back online on C, offline again: one new notice
      const bobOnC = await goOnline(at(2), bob, watcher);
      await sendOn(at(0), alice, direct, "seen live on C");
      await drained(...servers);
      expect(sentTo(fake, "o_bob")).toHaveLength(1);
      await goOffline(bobOnC, watcher);
      await Promise.all([2, 1, 0].map((i) => sendOn(at(i), alice, direct, `second spell ${i}`)));
      await drained(...servers);
      expect(sentTo(fake, "o_bob")).toHaveLength(2);
    },
    CLUSTER_TEST_TIMEOUT,
  );
});
