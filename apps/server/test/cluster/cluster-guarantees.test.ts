import type { ServerFrame } from "@mpchat/protocol";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import {
  expectAck,
  expectError,
  range,
  storedMessages,
  uid,
  waitForMessage,
  waitForMessageCount,
} from "../contract/scenario";
import { devLogin, TestClient } from "../support/client";
import type { ServerProcess } from "../support/server-process";
import { Cluster } from "./support/cluster";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, MYSQL_URL, REDIS_URL, suiteTitle, WAIT_MS } from "./support/env";

const byNumber = (a: number, b: number) => a - b;

/** Frames that name the conversation in any way. */
const mentions = (conversationId: string) => (frame: ServerFrame) =>
  ("conversationId" in frame && frame.conversationId === conversationId) ||
  (frame.type === "conversation" && frame.conversation.id === conversationId);

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("three server processes sharing MariaDB and Redis"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let cluster: Cluster;
    let reader: Store;
    const clients: TestClient[] = [];
    const connect = async (server: ServerProcess, userId: string) => {
      const client = await TestClient.connect(server, userId);
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      cluster = await Cluster.start({ instances: 3, mysqlUrl: MYSQL_URL ?? "", redisUrl: REDIS_URL ?? "" });
      reader = await openStore({ databaseUrl: cluster.database.url, dataDir: "unused", timeoutMs: 15_000 });
    }, CLUSTER_TEST_TIMEOUT);

    afterAll(async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
      await reader?.close();
      await cluster?.close();
    }, CLUSTER_TEST_TIMEOUT);

    it("3. dense seqs with concurrent senders on all instances; 4. every member connection everywhere gets each once; 5. non-members get nothing", async () => {
      const users = range(0, 8).map((i) => uid(`member${i}`));
      const members = await Promise.all(users.map((userId, i) => connect(cluster.at(i), userId)));
      // A second device of three members, each on another instance than the first.
      const seconds = await Promise.all(range(0, 2).map((i) => connect(cluster.at(i + 1), users[i] as string)));
      const outsiders = await Promise.all(range(0, 2).map((i) => connect(cluster.at(i), uid("outsider"))));
      const [first] = members;
      if (!first) throw new Error("no members");
      const group = await first.api(cluster.at(0)).createGroup("across instances", users.slice(1));
      // Each outsider shares a direct conversation with a member: its sentinel comes later.
      const directs = await Promise.all(
        outsiders.map((outsider) => first.api(cluster.at(0)).createDirect(outsider.userId)),
      );

      const perSender = 20;
      const total = members.length * perSender;
      const answers = await Promise.all(
        members.flatMap((member, i) => range(1, perSender).map((k) => member.sendText(group.id, `m${i}.${k}`))),
      );
      const acks = answers.map(expectAck);
      expect(acks.map((ack) => ack.seq).sort(byNumber)).toEqual(range(1, total));
      expect(new Set(acks.map((ack) => ack.messageId)).size).toBe(total);

      const connections = [...members, ...seconds];
      await Promise.all(connections.map((client) => waitForMessageCount(client, group.id, total)));
      for (const client of connections) {
        const seqs = client.messagesIn(group.id).map((frame) => frame.message.seq);
        expect(seqs).toHaveLength(total);
        expect([...seqs].sort(byNumber)).toEqual(range(1, total));
      }
      const stored = await storedMessages(reader, group.id);
      expect(stored.map((message) => message.seq)).toEqual(range(1, total));
      expect(stored.map((message) => message.id).sort()).toEqual(acks.map((ack) => ack.messageId).sort());

      // Every group message was published before this sentinel (each ack came after its publish),
      // and Redis delivers in publish order: had an outsider been sent any, it would be here by now.
      await Promise.all(
        directs.map(async (direct, i) => {
          const ack = expectAck(await first.sendText(direct.id, "sentinel"));
          await waitForMessage(outsiders[i] as TestClient, ack.messageId);
        }),
      );
      for (const outsider of outsiders) {
        expect(outsider.frames.filter(mentions(group.id))).toEqual([]);
        expectError(await outsider.sendText(group.id, "let me in"), "forbidden");
        expectError(await outsider.request({ type: "sync", conversationId: group.id, afterSeq: 0 }), "forbidden");
        expectError(await outsider.request({ type: "read", conversationId: group.id, seq: 1 }), "forbidden");
      }
      expect((await storedMessages(reader, group.id)).length).toBe(total);
    });

    it("2. the same clientMsgId retried on another instance returns the identical ack; nothing is stored or pushed twice", async () => {
      const aliceId = uid("alice");
      const alice = await connect(cluster.at(0), aliceId);
      const aliceElsewhere = await connect(cluster.at(1), aliceId);
      const bob = await connect(cluster.at(2), uid("bob"));
      const carol = await connect(cluster.at(1), uid("carol"));
      const everyone = [alice, aliceElsewhere, bob, carol];
      const group = await alice.api(cluster.at(0)).createGroup("retry", [bob.userId, carol.userId]);

      const first = expectAck(await alice.sendText(group.id, "exactly once", "retry-me"));
      await Promise.all(everyone.map((client) => waitForMessage(client, first.messageId)));
      const onSecond = expectAck(await aliceElsewhere.sendText(group.id, "exactly once", "retry-me"));
      const onThird = expectAck(
        await (await connect(cluster.at(2), aliceId)).sendText(group.id, "exactly once", "retry-me"),
      );
      const named = ({ id: _id, type: _type, ...rest }: ReturnType<typeof expectAck>) => rest;
      expect(named(onSecond)).toEqual(named(first));
      expect(named(onThird)).toEqual(named(first));

      // A later message from another instance reaches everybody after anything the retries could have pushed.
      const marker = expectAck(await bob.sendText(group.id, "after the retries"));
      await Promise.all(everyone.map((client) => waitForMessage(client, marker.messageId)));
      expect(marker.seq).toBe(first.seq + 1);
      for (const client of everyone) {
        expect(client.messagesIn(group.id).map((frame) => frame.message.clientMsgId)).toEqual([
          "retry-me",
          marker.clientMsgId,
        ]);
      }
      expect((await storedMessages(reader, group.id)).map((message) => message.clientMsgId)).toEqual([
        "retry-me",
        marker.clientMsgId,
      ]);
    });

    it("4. a member who disconnects, misses 30 messages sent on the other instances, and syncs on a third gets exactly those", async () => {
      const alice = await connect(cluster.at(0), uid("alice"));
      const bobId = uid("bob");
      const bob = await connect(cluster.at(1), bobId);
      const carol = await connect(cluster.at(2), uid("carol"));
      const group = await alice.api(cluster.at(0)).createGroup("sync", [bobId, carol.userId]);
      const before = expectAck(await carol.sendText(group.id, "before"));
      await waitForMessage(bob, before.messageId);
      await bob.close();

      const missed = [];
      for (let i = 1; i <= 30; i++) {
        const sender = i % 2 === 0 ? alice : carol;
        missed.push(expectAck(await sender.sendText(group.id, `missed ${i}`)));
      }
      const back = await connect(cluster.at(2), bobId);
      const batch = await back.request({ type: "sync", conversationId: group.id, afterSeq: before.seq });
      if (batch.type !== "batch") throw new Error(`expected a batch, got ${JSON.stringify(batch)}`);
      expect(batch.hasMore).toBe(false);
      expect(batch.messages.map((message) => message.id)).toEqual(missed.map((ack) => ack.messageId));
      expect(batch.messages.map((message) => message.body.kind === "text" && message.body.text)).toEqual(
        range(1, 30).map((i) => `missed ${i}`),
      );
    });

    it("presence is counted across instances: online at the first connection anywhere, offline at the last", async () => {
      const carol = await connect(cluster.at(2), uid("carol"));
      const daveId = uid("dave");
      await devLogin(cluster.at(0), daveId); // creates the user without connecting
      await carol.api(cluster.at(2)).createDirect(daveId);
      const presenceOfDave = () =>
        carol.frames.flatMap((f) => (f.type === "presence" && f.userId === daveId ? [f.online] : []));
      const redis = new Redis(REDIS_URL ?? "");
      const instancesHolding = async () => redis.hlen(`${cluster.redisPrefix}presence:user:${daveId}`);
      try {
        const onA = await connect(cluster.at(0), daveId);
        await carol.waitFor((f) => f.type === "presence" && f.userId === daveId && f.online);
        const onB = await connect(cluster.at(1), daveId);
        // Presence is recorded just after `ready`: wait until Redis holds dave on both instances.
        await eventually(async () => (await instancesHolding()) === 2);
        await onA.close();
        await eventually(async () => (await instancesHolding()) === 1);
        await onB.close();
        await carol.waitFor((f) => f.type === "presence" && f.userId === daveId && !f.online);
        expect(presenceOfDave()).toEqual([true, false]);
      } finally {
        redis.disconnect();
      }
    });
  },
);

/** Re-checks a condition of another process's state until it holds (bounded: about WAIT_MS). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
  }
  throw new Error("condition not met in time");
}
