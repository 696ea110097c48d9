import { CloseCode } from "@mpchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

// Windows of 2 s: a client beating every 250 ms stays far inside them even on a loaded machine.
const HEARTBEAT_MS = 1000;

/** Runs `beat` every `everyMs` until `totalMs` have passed (pacing a client, not waiting for the server). */
async function keepBeating(totalMs: number, everyMs: number, beat: () => Promise<void>): Promise<void> {
  const until = performance.now() + totalMs;
  for (let i = 0; i < 1000 && performance.now() < until; i++) {
    await beat();
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe("heartbeat", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("keeps a connection that sends frames or WebSocket pings past many heartbeat windows, then closes 4408 once it goes quiet", async () => {
    server = await startTestServer({ config: { heartbeatMs: HEARTBEAT_MS } });
    const client = await TestClient.connect(server, "alice");
    // Two windows of two heartbeats with frames, then two with control pings only.
    await keepBeating(2 * 2 * HEARTBEAT_MS, HEARTBEAT_MS / 4, async () => {
      expect((await client.request({ type: "ping" })).type).toBe("pong");
    });
    await keepBeating(2 * 2 * HEARTBEAT_MS, HEARTBEAT_MS / 4, async () => {
      client.socket.ping();
    });
    expect((await client.request({ type: "ping" })).type).toBe("pong");
    expect((await client.closed).code).toBe(CloseCode.HeartbeatTimeout);
  });
});
