import type { Conversation } from "@mpchat/protocol";
import { Limits } from "@mpchat/protocol";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeEnvelope } from "../../src/bus/redis";
import { type GuaranteeServer, startGuaranteeServer } from "../contract/fixture";
import { closeAll, expectAck, expectError, sentinel, uid, waitForMessage } from "../contract/scenario";
import { TestClient } from "../support/client";
import type { ServerGroup } from "../support/server-group";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, REDIS_URL, suiteTitle } from "./support/env";

const MiB = 1024 * 1024;

/** Every message on the cluster's bus channel, as a raw subscriber sees it. */
class ChannelTap {
  readonly messages: { type: string; bytes: number }[] = [];
  private constructor(private readonly redis: Redis) {}

  static async open(channel: string): Promise<ChannelTap> {
    const redis = new Redis(REDIS_URL ?? "", { maxRetriesPerRequest: 1 });
    const tap = new ChannelTap(redis);
    redis.on("messageBuffer", (_channel: Buffer, payload: Buffer) => {
      const type = decodeEnvelope(payload.toString())?.event.type ?? "undecodable";
      tap.messages.push({ type, bytes: payload.length });
    });
    await redis.subscribe(channel);
    return tap;
  }

  of(type: string) {
    return this.messages.filter((m) => m.type === type);
  }

  /** Resolves once `count` messages of `type` went by (the tap has its own connection: it may lag the instances). */
  async until(type: string, count: number): Promise<void> {
    for (let turn = 0; this.of(type).length < count; turn++) {
      if (turn > 2000) throw new Error(`tap heard ${this.of(type).length} of ${count} ${type} messages`);
      await new Promise<void>((resolve) => this.redis.once("messageBuffer", () => setImmediate(resolve)));
    }
  }

  close(): Promise<unknown> {
    return this.redis.quit().catch(() => this.redis.disconnect());
  }
}

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("groups across three instances on MariaDB and Redis"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let g: GuaranteeServer;
    let group: ServerGroup;
    let tap: ChannelTap;
    const clients: TestClient[] = [];
    /** A client on instance `i` (and its token valid on all). */
    const connect = async (i: number, userId: string) => {
      const client = await TestClient.connect(group.at(i), userId);
      clients.push(client);
      return client;
    };
    const conversationFrame = async (client: TestClient, id: string, memberCount: number) => {
      const frame = await client.waitFor(
        (f) => f.type === "conversation" && f.conversation.id === id && f.conversation.memberIds.length === memberCount,
      );
      return (frame as { conversation: Conversation }).conversation;
    };

    beforeAll(async () => {
      g = await startGuaranteeServer("cluster");
      group = g.server as ServerGroup;
      tap = await ChannelTap.open(`${group.config.redisPrefix}events`);
    }, CLUSTER_TEST_TIMEOUT);
    afterAll(async () => {
      await closeAll(clients);
      await tap?.close();
      await g?.close();
    }, CLUSTER_TEST_TIMEOUT);

    it("creates a 1000-member group and adds 100 members to a 900-member one: each bus message < 1 MiB, O(members) bytes, every instance still subscribed", async () => {
      // Two connected members per instance in each group, the rest exist only in the store.
      const online = await Promise.all([0, 1, 2, 0, 1, 2].map((i) => connect(i, uid(`on${i}`))));
      const newcomers = await Promise.all([0, 1, 2].map((i) => connect(i, uid(`new${i}`))));
      const [creator] = online;
      if (!creator) throw new Error("setup");
      const offline = Array.from({ length: Limits.MAX_GROUP_MEMBERS }, (_, i) => uid(`off${i}_`));
      for (let i = 0; i < offline.length; i += 100) {
        await Promise.all(offline.slice(i, i + 100).map((id) => g.reader.upsertUser({ id, name: id })));
      }
      const onlineIds = online.map((c) => c.userId);
      const newcomerIds = newcomers.map((c) => c.userId);
      const creatorApi = creator.api(group.at(0));

      // A full group: the creator, 5 online and 994 offline members.
      const full = await creatorApi.createGroup("full", [...onlineIds.slice(1), ...offline.slice(0, 994)]);
      expect(full.memberIds).toHaveLength(Limits.MAX_GROUP_MEMBERS);
      for (const client of online) await conversationFrame(client, full.id, Limits.MAX_GROUP_MEMBERS);
      const refused = await creatorApi.raw("POST", `/v1/conversations/${full.id}/members`, { userIds: newcomerIds });
      expect(refused.status).toBe(409);

      // 900 members with history (each member's unread differs), then 100 more.
      const growing = await creatorApi.createGroup("growing", [...onlineIds.slice(1), ...offline.slice(0, 894)]);
      expect(expectAck(await creator.sendText(growing.id, "before")).seq).toBe(1);
      const added = [...newcomerIds, ...offline.slice(894, 991)];
      const after = await creatorApi.addMembers(growing.id, added);
      expect(after.memberIds).toHaveLength(1000);
      // The addition is the creator's members_added system message at seq 2.
      expect(after).toMatchObject({ lastSeq: 2, readSeq: 2, unread: 0 });
      for (const client of [...online, ...newcomers]) {
        const view = await conversationFrame(client, growing.id, 1000);
        // Each member's own part: the creator read its own messages, everyone else has "before" unread.
        if (client === creator) expect([view.readSeq, view.unread]).toEqual([2, 0]);
        else expect([view.readSeq, view.unread >= 1]).toEqual([0, true]);
        expect(view.lastMessage?.seq).toBe(2);
      }

      // One message per announcement (the shape fits), each far below 1 MiB and linear in the members.
      await tap.until("conversation", 3);
      const conversationEvents = tap.of("conversation");
      expect(conversationEvents).toHaveLength(3);
      for (const event of conversationEvents) expect(event.bytes / 1000).toBeLessThan(300);
      for (const message of tap.messages) expect(message.bytes).toBeLessThan(MiB);

      // Every instance is still subscribed: a message from instance 0 reaches connections on all three.
      const after2 = await sentinel(creator, growing.id, [...online.slice(1), ...newcomers]);
      expect(after2.seq).toBe(3);
      for (const instance of group.instances) {
        const ready = await fetch(`${instance.httpUrl}/readyz`);
        expect(ready.status).toBe(200);
      }
    });

    it("removal on instance A: instance B refuses the removed member's send and pushes nothing more to them", async () => {
      const alice = await connect(0, uid("alice"));
      const bob = await connect(1, alice.userId.replace("alice", "bob"));
      const bobElsewhere = await connect(2, bob.userId);
      const carol = await connect(1, uid("carol"));
      const dave = await connect(2, uid("dave"));
      const conversation = await alice.api(group.at(0)).createGroup("removal", [bob.userId, carol.userId, dave.userId]);
      const id = conversation.id;
      // Warm every instance's membership cache for bob (and the others).
      for (const client of [alice, bob, bobElsewhere, carol, dave]) expectAck(await client.sendText(id, "warm"));
      const direct = await carol.api(group.at(1)).createDirect(bob.userId);
      const witness = await alice.api(group.at(0)).createGroup("witness", [carol.userId, dave.userId]);
      const record = await alice.api(group.at(0)).removeMember(id, bob.userId);
      expect(record?.memberIds).not.toContain(bob.userId);
      // Instance 0 published the removal before this message: once carol (on instance 1) and dave
      // (instance 2) have it, their instances have heard the removal too (one ordered channel).
      await sentinel(alice, witness.id, [carol, dave]);

      for (const client of [bob, bobElsewhere]) {
        expectError(await client.sendText(id, "still here?"), "forbidden");
        expectError(await client.request({ type: "sync", conversationId: id, afterSeq: 0 }), "forbidden");
      }
      // Carol sends on instance 1, whose cache held bob: bob's devices get nothing of it.
      const mark = [bob.frames.length, bobElsewhere.frames.length];
      const kept = expectAck(await carol.sendText(id, "bob is gone"));
      await Promise.all([alice, dave].map((client) => waitForMessage(client, kept.messageId)));
      await sentinel(carol, direct.id, [bob, bobElsewhere]);
      for (const [i, client] of [bob, bobElsewhere].entries()) {
        const seen = client.frames.slice(mark[i]).filter((f) => "conversationId" in f && f.conversationId === id);
        // Only the removal itself (which may have arrived before or after the mark), nothing of the conversation.
        expect(seen.filter((f) => f.type !== "conversation_removed")).toEqual([]);
      }
      await tap.until("members_removed", 1);
      expect(tap.of("members_removed")).toHaveLength(1);
    });
  },
);
