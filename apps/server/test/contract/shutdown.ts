import { CloseCode } from "@mpchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "../support/client";
import { ServerProcess } from "../support/server-process";
import { type FreshDatabase, freshDatabase, type SuiteKind } from "./fixture";
import { closeAll, expectAck, range, storedMessages, TEST_TIMEOUT } from "./scenario";

const CLIENTS = 10;
/** Per client: at most the default send burst (60), so that no send, nor its retry, is refused for rate. */
const MESSAGES_EACH = 60;
const LANES_EACH = 4;

/** Sends `MESSAGES_EACH` messages on `LANES_EACH` lanes until done or closed; records the acks. */
async function sendUntilClosed(client: TestClient, conversationId: string, acked: Map<string, number>) {
  let next = 0;
  const lane = async () => {
    while (next < MESSAGES_EACH) {
      const clientMsgId = `${client.userId}-${next++}`;
      try {
        const answer = await client.sendText(conversationId, `text of ${clientMsgId}`, clientMsgId);
        if (answer.type === "ack") acked.set(`${client.userId}/${clientMsgId}`, answer.seq);
      } catch {
        return; // the socket closed while waiting: never acked, so the client will retry it
      }
    }
  };
  await Promise.all(Array.from({ length: LANES_EACH }, lane));
}

/** Issue 2's shutdown scenario, on both stores, through a restart. */
export function describeGracefulShutdown(kind: SuiteKind): void {
  describe("graceful shutdown keeps every ack (real process, SIGTERM, restart)", { timeout: TEST_TIMEOUT }, () => {
    let database: FreshDatabase | undefined;
    const processes: ServerProcess[] = [];
    afterEach(async () => {
      await Promise.all(processes.map((p) => p.kill9()));
      await database?.drop();
    }, TEST_TIMEOUT);

    // One process by nature (its SIGTERM is the subject): in the cluster run, one instance on MySQL and Redis.
    it("SIGTERM while 10 clients send: 1001, exit 0, every acked message survives the restart, retries of the rest store each once", async () => {
      database = await freshDatabase(kind);
      const first = await ServerProcess.start("first", database.env);
      processes.push(first);
      const userIds = range(0, CLIENTS - 1).map((i) => `user${i}`);
      const clients = await Promise.all(userIds.map((userId) => TestClient.connect(first, userId)));
      const [owner] = clients;
      if (!owner) throw new Error("connect");
      const group = await owner.api(first).createGroup("shutdown", userIds);

      const acked = new Map<string, number>();
      const sending = Promise.all(clients.map((client) => sendUntilClosed(client, group.id, acked)));
      // SIGTERM once a tenth is acked, so that many sends are in flight.
      await owner.waitFor((f) => f.type === "message" && f.message.seq >= (CLIENTS * MESSAGES_EACH) / 10);
      first.signal("SIGTERM");
      const closes = await Promise.all(clients.map((client) => client.closed));
      await sending;
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(closes.map((c) => c.code)).toEqual(clients.map(() => CloseCode.GoingAway));
      expect(acked.size).toBeGreaterThan(0);

      // Restarted on the same database: every acked message is there with its seq, and nothing unacked is.
      const second = await ServerProcess.start("second", database.env);
      processes.push(second);
      const again = await Promise.all(userIds.map((userId) => TestClient.connect(second, userId)));
      try {
        const reader = await database.connect();
        try {
          const stored = await storedMessages(reader, group.id);
          const storedSeqs = new Map(stored.map((m) => [`${m.senderId}/${m.clientMsgId}`, m.seq]));
          for (const [key, seq] of acked) expect(storedSeqs.get(key), key).toBe(seq);
          expect(storedSeqs.size).toBe(acked.size);
          expect(stored.map((m) => m.seq)).toEqual(range(1, stored.length));
        } finally {
          await reader.close();
        }

        // Each client retries everything (it cannot know what was stored without an ack): old acks come back
        // unchanged, the rest is stored once.
        const retried = await Promise.all(
          again.map((client) =>
            Promise.all(
              range(0, MESSAGES_EACH - 1).map(async (i) => {
                const clientMsgId = `${client.userId}-${i}`;
                const ack = expectAck(await client.sendText(group.id, `text of ${clientMsgId}`, clientMsgId));
                return [`${client.userId}/${clientMsgId}`, ack.seq] as const;
              }),
            ),
          ),
        );
        const final = new Map<string, number>(retried.flat());
        for (const [key, seq] of acked) expect(final.get(key), key).toBe(seq);
        expect([...final.values()].sort((a, b) => a - b)).toEqual(range(1, CLIENTS * MESSAGES_EACH));
      } finally {
        await closeAll(again);
      }
    });
  });
}
