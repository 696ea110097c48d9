import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

describe("HTTP timeouts", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("closes an idle HTTP connection after HTTP_CONNECTION_TIMEOUT_MS, but not a quiet WebSocket", async () => {
    // Long enough that alice's login answers within it on a loaded machine (an idle socket waiting for
    // its answer counts as idle); short enough for a test.
    server = await startTestServer({ config: { httpConnectionTimeoutMs: 1500, httpRequestTimeoutMs: 4000 } });
    expect(server.app.server.requestTimeout).toBe(4000);
    const alice = await TestClient.connect(server, "alice");
    // Opened after alice's socket went quiet: by the time it is cut, alice has been quiet longer.
    const idle = connect({ host: "127.0.0.1", port: Number(new URL(server.httpUrl).port) });
    await new Promise<void>((resolve, reject) => {
      idle.once("close", () => resolve());
      idle.once("error", reject);
    });
    expect((await alice.request({ type: "ping" })).type).toBe("pong");
  });
});
