import type { Message } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { range, uid } from "../contract/scenario";
import { devLogin, TestClient } from "../support/client";
import { TcpProxy } from "../support/tcp-proxy";
import { ChatUser } from "./support/chat-user";
import { Cluster } from "./support/cluster";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, MYSQL_URL, REDIS_URL, suiteTitle, WAIT_MS } from "./support/env";

/** Short, so that the test sees the sweep; production default is 10 s. */
const PRESENCE_TTL_MS = 3000;
/** The documented bound (docs/operations.md): TTL + one sweep period (TTL/3). */
const PRESENCE_BOUND_MS = PRESENCE_TTL_MS + PRESENCE_TTL_MS / 3;
/** What a loaded 2-core machine may add to the bound (contacts lookups, a slow event loop). */
const SLACK_MS = 15_000;
const CHATTERS = 6;
const PER_CHATTER = 25;

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("kill -9 of one of three instances while its clients chat"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let cluster: Cluster;
    const proxies: TcpProxy[] = [];
    const users: ChatUser[] = [];
    const sockets: TestClient[] = [];

    beforeAll(async () => {
      cluster = await Cluster.start({
        instances: 3,
        mysqlUrl: MYSQL_URL ?? "",
        redisUrl: REDIS_URL ?? "",
        env: { PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) },
      });
      // Front door i prefers instance i, then the next ones: a load balancer's failover.
      const ports = cluster.servers.map((server) => server.port);
      for (const i of range(0, 2)) {
        proxies.push(await TcpProxy.start(() => [0, 1, 2].map((k) => ports[(i + k) % 3] as number)));
      }
    }, CLUSTER_TEST_TIMEOUT);

    afterAll(async () => {
      for (const user of users) user.client.close();
      await Promise.allSettled(sockets.map((socket) => socket.close()));
      await Promise.allSettled(proxies.map((proxy) => proxy.close()));
      await cluster?.close();
    }, CLUSTER_TEST_TIMEOUT);

    it("its clients reconnect to the others and end with every acked message once, in order; its users go offline within the bound and come back online", async () => {
      const [a, b, c] = [cluster.at(0), cluster.at(1), cluster.at(2)];
      const olga = await TestClient.connect(c, uid("olga")); // watches presence, on a surviving instance
      const dora = await TestClient.connect(a, uid("dora")); // on the doomed instance; does not reconnect by herself
      sockets.push(olga, dora);
      const chatterIds = range(1, CHATTERS).map((i) => uid(`chatter${i}`));
      const tokens = await Promise.all(chatterIds.map(async (id) => (await devLogin(a, id)).token));
      const group = await olga.api(c).createGroup("kill -9", [dora.userId, ...chatterIds]);
      // Chatter i enters through front door i % 3: a third of them live on instance a.
      for (const [i, id] of chatterIds.entries()) {
        users.push(new ChatUser(id, proxies[i % 3] as TcpProxy, tokens[i] as string));
      }
      await Promise.all(users.map((user) => user.connect(WAIT_MS)));
      await Promise.all(
        users.map((user) => user.until(() => user.client.conversation(group.id) !== undefined, "group", WAIT_MS)),
      );

      let acked = 0;
      const killAfter = 30;
      let killed: Promise<number> | undefined;
      const kill = async () => {
        await a.kill9();
        return Date.now();
      };
      const acks: Message[] = [];
      // Each chatter sends one message after another; done resolves on the ack, however many reconnects it takes.
      const sending = users.map(async (user, i) => {
        for (const k of range(1, PER_CHATTER)) {
          const message = await user.client.send(group.id, `chatter ${i} says ${k}`).done;
          acks.push(message);
          if (++acked === killAfter) killed = kill();
        }
      });
      await Promise.all(sending);
      const killedAt = await killed;
      if (killedAt === undefined) throw new Error("the kill never happened");
      expect(a.running).toBe(false);

      const total = CHATTERS * PER_CHATTER;
      expect(acks.map((message) => message.seq).sort((x, y) => x - y)).toEqual(range(1, total));
      for (const user of users) {
        await user.until(() => user.seqsIn(group.id).length >= total, `all ${total} messages`, WAIT_MS);
        // Every message event once, in seq order, and exactly the acked messages.
        expect(user.seqsIn(group.id)).toEqual(range(1, total));
        expect(user.client.messages(group.id).map((message) => message.id)).toEqual(
          [...acks].sort((x, y) => x.seq - y.seq).map((message) => message.id),
        );
        expect(user.client.outbox()).toEqual([]);
      }
      // The chatters of the killed instance lost their link and came back (on another instance); the others never did.
      for (const [i, user] of users.entries()) {
        const reconnects = user.states.filter((state) => state === "online").length - 1;
        expect({ user: i, reconnected: reconnects > 0 }).toEqual({ user: i, reconnected: i % 3 === 0 });
        expect(user.client.state).toBe("online");
      }

      // dora's instance died with her socket: the others see her offline within the bound...
      const offline = await olga.waitFor(
        (f) => f.type === "presence" && f.userId === dora.userId && !f.online,
        PRESENCE_BOUND_MS + SLACK_MS,
      );
      expect(offline).toMatchObject({ online: false });
      const seenAfterMs = Date.now() - killedAt;
      expect(seenAfterMs).toBeLessThan(PRESENCE_BOUND_MS + SLACK_MS);
      // ...and online again when she reconnects elsewhere.
      const from = olga.frames.length;
      const doraAgain = await TestClient.connect(b, dora.userId);
      sockets.push(doraAgain);
      await olga.waitFor((f) => f.type === "presence" && f.userId === dora.userId && f.online, WAIT_MS, {
        fromIndex: from,
      });
      // She syncs what she missed from her last seq; nothing is lost for her either.
      const batch = await doraAgain.request({ type: "sync", conversationId: group.id, afterSeq: 0, limit: 200 });
      if (batch.type !== "batch") throw new Error(`expected a batch, got ${JSON.stringify(batch)}`);
      expect(batch.messages.map((message) => message.seq)).toEqual(range(1, total));
    });
  },
);
