import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAck, expectError, range, uid, waitForMessageCount } from "../contract/scenario";
import { rawRequest, TestClient } from "../support/client";
import { Cluster } from "./support/cluster";
import { CLUSTER_SKIP_REASON, CLUSTER_TEST_TIMEOUT, MYSQL_URL, REDIS_URL, suiteTitle } from "./support/env";
import { type Sample, sampleSum, scrape } from "./support/prometheus-text";

/** How much each listed series grew between two scrapes. */
function growth(before: Sample[], after: Sample[]) {
  return (name: string, labels: Record<string, string> = {}) =>
    sampleSum(after, name, labels) - sampleSum(before, name, labels);
}

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("GET /metrics on two instances sharing MariaDB and Redis"),
  { timeout: CLUSTER_TEST_TIMEOUT },
  () => {
    let cluster: Cluster;
    const clients: TestClient[] = [];

    beforeAll(async () => {
      cluster = await Cluster.start({ instances: 2, mysqlUrl: MYSQL_URL ?? "", redisUrl: REDIS_URL ?? "" });
    }, CLUSTER_TEST_TIMEOUT);

    afterAll(async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
      await cluster?.close();
    }, CLUSTER_TEST_TIMEOUT);

    it("parses as Prometheus text, and its counters move as messages are sent on one instance and pushed on the other", async () => {
      const [a, b] = [cluster.at(0), cluster.at(1)];
      const alice = await TestClient.connect(a, uid("alice"));
      const bob = await TestClient.connect(b, uid("bob"));
      const eve = await TestClient.connect(a, uid("eve"));
      clients.push(alice, bob, eve);
      const group = await alice.api(a).createGroup("metrics", [bob.userId]);
      const [aBefore, bBefore] = await Promise.all([scrape(a), scrape(b)]);

      const sent = 12;
      for (const i of range(1, sent)) expectAck(await alice.sendText(group.id, `counted ${i}`));
      await waitForMessageCount(bob, group.id, sent);
      expectError(await eve.sendText(group.id, "not a member"), "forbidden");
      expect((await rawRequest(a, "GET", "/v1/me")).status).toBe(401);

      const [aAfter, bAfter] = await Promise.all([scrape(a), scrape(b)]);
      const onA = growth(aBefore, aAfter);
      const onB = growth(bBefore, bAfter);

      // Where the sends arrived and were committed.
      expect(onA("mpchat_ws_frames_received_total", { type: "send" })).toBe(sent + 1);
      expect(onA("mpchat_ws_frames_sent_total", { type: "ack" })).toBe(sent);
      expect(onA("mpchat_messages_stored_total")).toBe(sent);
      expect(onA("mpchat_commit_batch_size_sum")).toBe(sent);
      expect(onA("mpchat_commit_batch_size_count")).toBeGreaterThanOrEqual(1);
      expect(onA("mpchat_ack_latency_seconds_count")).toBe(sent);
      expect(onA("mpchat_bus_published_total", { type: "message", result: "ok" })).toBe(sent);
      expect(onA("mpchat_errors_total", { transport: "ws", code: "forbidden" })).toBe(1);
      expect(onA("mpchat_errors_total", { transport: "http", code: "unauthorized" })).toBe(1);
      expect(onA("mpchat_http_requests_total", { route: "/v1/me", status: "401" })).toBe(1);
      // Where the pushes went out through Redis.
      expect(onB("mpchat_bus_received_total", { type: "message" })).toBe(sent);
      expect(onB("mpchat_ws_frames_sent_total", { type: "message" })).toBe(sent);
      expect(onB("mpchat_push_fanout_seconds_count", { type: "message" })).toBe(sent);
      expect(onB("mpchat_messages_stored_total")).toBe(0);

      expect(sampleSum(aAfter, "mpchat_ws_connections")).toBe(2);
      expect(sampleSum(bAfter, "mpchat_ws_connections")).toBe(1);
      // Default process metrics are there too.
      expect(aAfter.some((sample) => sample.name === "process_cpu_user_seconds_total")).toBe(true);
      expect(aAfter.some((sample) => sample.name === "nodejs_heap_size_used_bytes")).toBe(true);
    });
  },
);
