import type { AckFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import { suiteTitle } from "../cluster/support/env";
import { rawRequest } from "../support/api";
import { TestClient } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";
import { TcpProxy } from "../support/tcp-proxy";
import { createFreshDatabase, type FreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";

/** The store's bound on connecting and on each statement: short, so that the test is quick. */
const DB_TIMEOUT_MS = 3000;
/** How long a client waits for any answer: far above the store's bound, so a hang fails the test. */
const ANSWER_WAIT_MS = 60_000;

describe.skipIf(!MYSQL_URL)(
  suiteTitle(
    "MariaDB cut and restored behind a TCP proxy",
    MYSQL_URL ? undefined : "skipped: MYSQL_URL not set; CI sets it",
  ),
  { timeout: 240_000 },
  () => {
    let database: FreshDatabase;
    let proxy: TcpProxy;
    let store: Store;
    let server: TestServer;

    beforeAll(async () => {
      database = await createFreshDatabase(MYSQL_URL ?? "");
      const target = new URL(database.url);
      proxy = await TcpProxy.start(() => [Number(target.port || 3306)], target.hostname);
      const viaProxy = new URL(database.url);
      viaProxy.hostname = "127.0.0.1";
      viaProxy.port = String(proxy.port);
      store = await openStore({
        databaseUrl: viaProxy.toString(),
        dataDir: "unused",
        poolSize: 4,
        timeoutMs: DB_TIMEOUT_MS,
      });
      server = await startTestServer({ deps: { store }, config: { dbTimeoutMs: DB_TIMEOUT_MS } });
    }, 60_000);

    afterAll(async () => {
      await server?.close();
      await store?.close();
      await proxy?.close();
      await database?.drop();
    }, 60_000);

    it("answers unavailable during the cut, stays up, and after restore keeps every acked message once", async () => {
      const alice = await TestClient.connect(server, "alice");
      const bob = await TestClient.connect(server, "bob");
      const group = await alice.api(server).createGroup("fault", ["bob"]);
      const acked = new Map<string, AckFrame>();
      const failed: { client: TestClient; clientMsgId: string; text: string }[] = [];
      const send = async (client: TestClient, clientMsgId: string) => {
        const text = `${client.userId} ${clientMsgId} 😀`;
        const answer = await client.request(
          { type: "send", conversationId: group.id, clientMsgId, body: { kind: "text", text } },
          ANSWER_WAIT_MS,
        );
        if (answer.type === "ack") acked.set(`${client.userId}/${clientMsgId}`, answer);
        else {
          expect(answer).toMatchObject({ type: "error", code: "unavailable" });
          failed.push({ client, clientMsgId, text });
        }
        return answer.type;
      };

      // Before: everything commits.
      for (let i = 0; i < 10; i++) expect(await send(i % 2 ? alice : bob, `before-${i}`)).toBe("ack");
      expect((await rawRequest(server, "GET", "/readyz")).status).toBe(200);

      // Sends in flight when the network goes: each ends with an ack or `unavailable`, none hangs.
      const inFlight = Array.from({ length: 10 }, (_, i) => send(i % 2 ? alice : bob, `crossing-${i}`));
      proxy.cut();
      const crossing = await Promise.all(inFlight);
      expect(crossing.every((type) => type === "ack" || type === "error")).toBe(true);

      // During the cut: fail fast with `unavailable`, both over WebSocket and HTTP; the process still serves.
      const during = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i % 2 ? alice : bob, `during-${i}`)));
      expect(during).toEqual(Array(6).fill("error"));
      const history = await rawRequest(server, "GET", `/v1/conversations/${group.id}/messages`, { token: alice.token });
      expect(history).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
      expect((await rawRequest(server, "GET", "/readyz")).status).toBe(503);
      expect((await rawRequest(server, "GET", "/healthz")).status).toBe(200);
      expect(await alice.request({ type: "ping" }, ANSWER_WAIT_MS)).toMatchObject({ type: "pong" });

      // Restore: the pool recovers by itself (no restart); /readyz turns 200.
      proxy.restore();
      // A probe may still meet a connection the restore just dropped; the pool replaces it on the next.
      const probes: number[] = [];
      for (let attempt = 0; attempt < 20 && probes.at(-1) !== 200; attempt++) {
        probes.push((await rawRequest(server, "GET", "/readyz")).status);
      }
      expect(probes.at(-1)).toBe(200);
      expect(probes.length).toBeLessThanOrEqual(5);

      // Every failed send is retried with its clientMsgId: stored once (it may have committed before the cut hid the answer).
      for (const { client, clientMsgId } of failed) expect(await send(client, clientMsgId)).toBe("ack");
      expect(await send(alice, "after")).toBe("ack");

      const stored = (await store.listMessages(group.id, { afterSeq: 0, limit: 200 })).messages;
      const sentCount = 10 + 10 + 6 + 1;
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: sentCount }, (_, i) => i + 1));
      const keys = stored.map((m) => `${m.senderId}/${m.clientMsgId}`);
      expect(new Set(keys).size).toBe(sentCount);
      expect(acked.size).toBe(sentCount);
      for (const message of stored) {
        const ack = acked.get(`${message.senderId}/${message.clientMsgId}`);
        expect(ack).toMatchObject({ messageId: message.id, seq: message.seq, createdAt: message.createdAt });
      }
      await alice.close();
      await bob.close();
    });
  },
);

if (!MYSQL_URL) {
  describe("MariaDB cut and restored behind a TCP proxy", () => {
    it.skip(MYSQL_SKIP_REASON, () => {});
  });
}
