import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, suiteTitle } from "../cluster/support/env";
import { loginAnswers, startCheckedServer, wechatClient } from "../content/wechat-users";
import type { TestClient } from "../support/client";
import { type FakeWeChat, startFakeWeChat } from "../support/fake-wechat";
import type { TestServer } from "../support/server";

/** Three instances of the real app on one Redis: one access_token for all, fetched once, refreshed once. */
describe.skipIf(!REDIS_URL)(
  suiteTitle("one access_token for three app instances", REDIS_URL ? "" : "skipped: REDIS_URL not set"),
  () => {
    const prefix = `mpchat-test-${randomBytes(4).toString("hex")}:`;
    const names = ["alice", "bob", "carol"];
    let fake: FakeWeChat;
    let servers: TestServer[] = [];
    let clients: TestClient[] = [];
    let groups: string[] = [];

    beforeAll(async () => {
      fake = await startFakeWeChat(loginAnswers(names));
      servers = await Promise.all(
        names.map(() => startCheckedServer(fake, {}, { redisUrl: REDIS_URL, redisPrefix: prefix })),
      );
      clients = await Promise.all(names.map((name, i) => wechatClient(servers[i] as TestServer, name)));
      // each user alone in a group on their own instance: every send is checked on that instance
      groups = await Promise.all(
        clients.map(async (client, i) => (await client.api(servers[i] as TestServer).createGroup("solo", [])).id),
      );
    }, 60_000);
    afterAll(async () => {
      await Promise.all(clients.map((client) => client.close()));
      await Promise.all(servers.map((server) => server.close()));
      const redis = new Redis(REDIS_URL ?? "");
      await redis.del(`${prefix}wechat:access_token`, `${prefix}wechat:access_token:lock`);
      await redis.quit();
      await fake?.close();
    });

    const sendEverywhere = (text: string) =>
      Promise.all(clients.map((client, i) => client.sendText(groups[i] as string, `${text} ${i}`)));

    it("fetches stable_token once while all three check texts at once", async () => {
      const answers = await Promise.all([sendEverywhere("first"), sendEverywhere("second")]);
      for (const answer of answers.flat()) expect(answer).toMatchObject({ type: "ack" });
      // counted from the start: the setup's title checks (on all three at once) needed the token too
      expect(fake.count("stable_token")).toBe(1);
      const tokens = new Set(fake.log.filter((call) => call.api === "msg_sec_check").map((call) => call.accessToken));
      expect(tokens).toEqual(new Set([fake.currentToken]));
    });

    it("after a 40001, one instance refreshes and the others use its token", async () => {
      fake.revokeToken();
      const before = fake.count("stable_token");
      const answers = await sendEverywhere("after revoke");
      for (const answer of answers) expect(answer).toMatchObject({ type: "ack" });
      expect(fake.count("stable_token") - before).toBe(1);
    });
  },
);
