import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { rawStreamOf } from "../src/gateway/route";
import type { FrameStream } from "../src/gateway/turn-cork";
import { devLogin } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

// The gateway writes whole uncompressed frames straight to the TCP socket; a
// negotiated extension (permessage-deflate) would make them unreadable.
describe("WebSocket extensions", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses permessage-deflate, and a client that asked for it still reads every frame", async () => {
    const { token } = await devLogin(server, "deflater");
    const socket = new WebSocket(server.wsUrl, { perMessageDeflate: true });
    const frames: unknown[] = [];
    socket.on("message", (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    expect(socket.extensions).toBe("");
    const ready = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === "ready") resolve();
      }),
    );
    socket.send(JSON.stringify({ type: "auth", id: "a1", token }));
    await ready;
    expect(frames).toContainEqual(expect.objectContaining({ type: "ready", id: "a1", userId: "deflater" }));
    socket.close();
  });

  it("writes raw frames only to a socket without extensions", () => {
    const tcp = { write: () => true, cork() {}, uncork() {} } satisfies FrameStream;
    expect(rawStreamOf({ extensions: "" }, tcp)).toBe(tcp);
    expect(rawStreamOf({ extensions: "permessage-deflate" }, tcp)).toBeUndefined();
  });
});
