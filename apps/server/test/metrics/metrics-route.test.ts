import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, sampleSum, scrape } from "../cluster/support/prometheus-text";
import { expectAck, uid, waitForMessage } from "../contract/scenario";
import { TestClient } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";

describe("GET /metrics (one instance, in-process bus)", () => {
  let servers: TestServer[] = [];

  beforeAll(async () => {
    // Two apps in one process: each has its own registry, so neither collides with the other.
    servers = [await startTestServer(), await startTestServer()];
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it("answers Prometheus text whose counters move with the traffic of its own app only", async () => {
    const [server, other] = servers as [TestServer, TestServer];
    const alice = await TestClient.connect(server, uid("alice"));
    const bob = await TestClient.connect(server, uid("bob"));
    try {
      const direct = await alice.api(server).createDirect(bob.userId);
      const before = await scrape(server);
      const ack = expectAck(await alice.sendText(direct.id, "count me"));
      await waitForMessage(bob, ack.messageId);
      const after = await scrape(server);
      const grew = (name: string, labels: Record<string, string> = {}) =>
        sampleSum(after, name, labels) - sampleSum(before, name, labels);

      expect(grew("mpchat_messages_stored_total")).toBe(1);
      expect(grew("mpchat_ws_frames_received_total", { type: "send" })).toBe(1);
      // The message is pushed to both members' connections, the sender's included.
      expect(grew("mpchat_ws_frames_sent_total", { type: "message" })).toBe(2);
      expect(grew("mpchat_bus_received_total", { type: "message" })).toBe(1);
      expect(sampleSum(after, "mpchat_ws_connections")).toBe(2);
      expect(sampleSum(await scrape(other), "mpchat_messages_stored_total")).toBe(0);
    } finally {
      await Promise.all([alice.close(), bob.close()]);
    }
  });

  it("the parser used by these tests refuses what is not Prometheus text", () => {
    expect(parsePrometheusText('# HELP x y\n# TYPE x counter\nx{a="1",b="q\\"uote"} 3\ny 1.5e3\n')).toEqual([
      { name: "x", labels: { a: "1", b: 'q"uote' }, value: 3 },
      { name: "y", labels: {}, value: 1500 },
    ]);
    expect(() => parsePrometheusText("<html>oops</html>")).toThrow(/not a Prometheus sample line/);
    expect(() => parsePrometheusText("x{a=1} 3")).toThrow(/bad labels|not a Prometheus/);
    expect(() => parsePrometheusText("x 3 4 5")).toThrow();
  });
});
