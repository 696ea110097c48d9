import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloseCode } from "@mpchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open-store";
import { TestClient } from "./support/client";
import { ServerProcess } from "./support/server-process";

const CLIENTS = 10;
/** Per client; at most the send burst, so that no send is refused for rate. */
const MESSAGES_EACH = 60;
const IN_FLIGHT_EACH = 4;

/** Sends until done or the socket closes; returns the acks (clientMsgId → seq). */
async function sendUntilClosed(client: TestClient, conversationId: string, acked: Map<string, number>) {
  let next = 0;
  const lane = async () => {
    while (next < MESSAGES_EACH) {
      const clientMsgId = `${client.userId}-${next++}`;
      let answer: Awaited<ReturnType<TestClient["sendText"]>>;
      try {
        answer = await client.sendText(conversationId, `message ${clientMsgId}`, clientMsgId);
      } catch {
        return; // the socket closed while waiting: that send was never acked
      }
      if (answer.type === "ack") acked.set(`${client.userId}/${clientMsgId}`, answer.seq);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT_EACH }, lane));
}

describe("graceful shutdown of the real process", () => {
  let dataDir = "";
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.kill9();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("on SIGTERM while 10 clients send: clients see 1001, exit 0, every acked message is stored", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-shutdown-"));
    server = await ServerProcess.start("server", { DATA_DIR: dataDir });
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => TestClient.connect(server as ServerProcess, `user${i}`)),
    );
    const [owner] = clients;
    if (!owner) throw new Error("no clients");
    const group = await owner.api(server).createGroup(
      "shutdown",
      clients.map((c) => c.userId),
    );

    const acked = new Map<string, number>();
    const sending = Promise.all(clients.map((client) => sendUntilClosed(client, group.id, acked)));
    // SIGTERM once a tenth of the messages are acked, so that many are still in flight.
    await owner.waitFor((frame) => frame.type === "message" && frame.message.seq >= (CLIENTS * MESSAGES_EACH) / 10);
    server.signal("SIGTERM");

    const closes = await Promise.all(clients.map((client) => client.closed));
    await sending;
    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(closes.map((close) => close.code)).toEqual(clients.map(() => CloseCode.GoingAway));
    expect(acked.size).toBeGreaterThan(0);

    const store = await openStore({ dataDir });
    try {
      const page = await store.listMessages(group.id, { afterSeq: 0, limit: 200 });
      const all = [...page.messages];
      for (let more = page.hasMore, guard = 0; more && guard < 10; guard++) {
        const next = await store.listMessages(group.id, { afterSeq: all.length, limit: 200 });
        all.push(...next.messages);
        more = next.hasMore;
      }
      const stored = new Map(all.map((m) => [`${m.senderId}/${m.clientMsgId}`, m.seq]));
      // Every acked message survived with the seq it was acked with…
      for (const [key, seq] of acked) expect(stored.get(key), key).toBe(seq);
      // …and the drain answered every message it committed: nothing stored went unacked.
      expect(stored.size).toBe(acked.size);
      expect(all.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1));
    } finally {
      await store.close();
    }
  });
});
