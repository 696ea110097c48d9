import type { Message } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { range, uid } from "../contract/scenario";
import { devLogin, rawRequest, TestClient } from "../support/client";
import type { LogLine, ServerProcess } from "../support/server-process";
import { ChatUser } from "./support/chat-user";
import { Cluster } from "./support/cluster";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, MYSQL_URL, suiteTitle, WAIT_MS } from "./support/env";
import { RedisProcess, redisServerAvailable } from "./support/redis-process";

const CHATTERS = 6;
const PER_ROUND = 5;
const SKIP_REASON =
  CLUSTER_SKIP_REASON ?? (redisServerAvailable() ? undefined : "skipped: redis-server is not installed");

const isRedisLog = (message: string, role: string) => (line: LogLine) => line.msg === message && line.role === role;

/** Waits until every server has logged a line matching `predicate` after `marks[i]`. */
function allLogged(servers: ServerProcess[], marks: number[], predicate: (line: LogLine) => boolean) {
  return Promise.all(
    servers.map((server, i) => server.waitForLog(predicate, { fromIndex: marks[i], timeoutMs: WAIT_MS })),
  );
}

describe.skipIf(SKIP_REASON !== undefined)(
  suiteTitle("Redis restarted mid-chat under three instances", SKIP_REASON),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let redis: RedisProcess;
    let cluster: Cluster;
    const users: ChatUser[] = [];
    const sockets: TestClient[] = [];

    beforeAll(async () => {
      redis = await RedisProcess.start();
      cluster = await Cluster.start({ instances: 3, mysqlUrl: MYSQL_URL ?? "", redisUrl: redis.url });
    }, CLUSTER_TEST_TIMEOUT);

    afterAll(async () => {
      for (const user of users) user.client.close();
      await Promise.allSettled(sockets.map((socket) => socket.close()));
      await cluster?.close();
      await redis?.kill();
    }, CLUSTER_TEST_TIMEOUT);

    it("sends are acked while Redis is down; once it is back chat continues and every client ends with every acked message once, in order", async () => {
      const servers = cluster.servers;
      const ids = range(1, CHATTERS).map((i) => uid(`chatter${i}`));
      const lateId = uid("late");
      const tokens = await Promise.all(ids.map(async (id) => (await devLogin(cluster.at(0), id)).token));
      await devLogin(cluster.at(0), lateId);
      const creator = new ChatUser(ids[0] as string, cluster.at(0), tokens[0] as string);
      users.push(creator);
      for (const [i, id] of ids.entries()) {
        if (i > 0) users.push(new ChatUser(id, cluster.at(i), tokens[i] as string));
      }
      await Promise.all(users.map((user) => user.connect(WAIT_MS)));
      const group = await creator.client.createGroup("redis restart", [...ids.slice(1), lateId]);
      const acks: Message[] = [];
      const round = async (label: string) => {
        const sent = await Promise.all(
          users.flatMap((user, i) =>
            range(1, PER_ROUND).map((k) => user.client.send(group.id, `${label} ${i}.${k}`).done),
          ),
        );
        acks.push(...sent);
      };
      const everyoneHas = (count: number, what: string) =>
        Promise.all(users.map((user) => user.until(() => user.seqsIn(group.id).length >= count, what, WAIT_MS)));

      await round("before");
      await everyoneHas(acks.length, "the messages sent before the outage");

      // Redis dies. Every instance notices (its subscriber connection drops) and reports not ready.
      let marks = servers.map((server) => server.logs.length);
      await redis.kill();
      await allLogged(servers, marks, isRedisLog("redis connection lost; reconnecting", "subscriber"));
      for (const server of servers) expect((await rawRequest(server, "GET", "/readyz")).status).toBe(503);

      // Sends still commit and are acked: pushes to other instances are lost, messages are not.
      const beforeOutage = acks.length;
      await round("during");
      expect(acks.length).toBe(beforeOutage + CHATTERS * PER_ROUND);
      for (const server of servers) expect(server.running).toBe(true);

      // Redis comes back (empty: no persistence). Every instance reconnects and is ready again.
      marks = servers.map((server) => server.logs.length);
      await redis.restart();
      await allLogged(servers, marks, isRedisLog("redis reconnected", "subscriber"));
      await allLogged(servers, marks, (line) => line.msg === "presence re-recorded in redis");
      for (const server of servers) expect((await rawRequest(server, "GET", "/readyz")).status).toBe(200);

      // Chat continues: new pushes flow, and the gaps they reveal are filled by sync.
      await round("after");
      const total = CHATTERS * PER_ROUND * 3;
      expect(acks.map((message) => message.seq).sort((x, y) => x - y)).toEqual(range(1, total));
      await everyoneHas(total, `all ${total} messages`);
      const inOrder = [...acks].sort((x, y) => x.seq - y.seq).map((message) => message.id);
      for (const user of users) {
        expect(user.seqsIn(group.id)).toEqual(range(1, total));
        expect(user.client.messages(group.id).map((message) => message.id)).toEqual(inOrder);
      }
      // Pushes were really missed meanwhile (so sync, not luck, filled them): someone recovered messages.
      expect(users.reduce((sum, user) => sum + user.recoveredMessages, 0)).toBeGreaterThan(0);

      // Presence works again on the fresh Redis: a user who connects now is seen online on the other instances.
      const late = await TestClient.connect(cluster.at(1), lateId);
      sockets.push(late);
      const watcher = users[2] as ChatUser; // on instance 2
      await watcher.until(() => watcher.client.isOnline(lateId), "late user online", WAIT_MS);
    });
  },
);
