import { CloseCode } from "@mpchat/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeClient } from "./support/fake-client";
import { FakeServer } from "./support/fake-server";
import { flush } from "./support/flush";

/** The server reads the first `auth` of the first socket but never answers it: the link stalled after the upgrade. */
function stallFirstAuth(server: FakeServer): void {
  server.frameFilter = (socket, frame) => (frame.type === "auth" && socket === server.sockets[0] ? "drop" : "default");
}

describe("what the client does with each close code (protocol 1.1)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("an auth timeout (4408 after a stall) reconnects with the same token and does not log the user out", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    stallFirstAuth(server);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe("connecting");
    const handle = client.send(group.id, "typed during the stall");
    server.socket.serverClose(CloseCode.AuthTimeout, "authentication timeout");
    await flush();
    expect(events.state.at(-1)).toMatchObject({ state: "offline", reason: "retrying" });
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(server.sockets.map((s) => s.sentOfType("auth")[0]?.token)).toEqual(["t-alice", "t-alice"]);
    expect(client.state).toBe("online");
    expect(events.unauthorized).toEqual([]);
    await expect(handle.done).resolves.toMatchObject({ clientMsgId: handle.clientMsgId });
  });

  it.each([
    ["4408 heartbeat timeout", CloseCode.HeartbeatTimeout],
    ["1001 going away", CloseCode.GoingAway],
    ["1006 abnormal (a cut link)", 1006],
    ["1011 server error", 1011],
    ["4400 protocol violation", CloseCode.ProtocolViolation],
    ["4429 flooding", CloseCode.Flooding],
    ["4999 a code this client does not know", 4999],
  ])("after an authenticated socket closes with %s it reconnects", async (_, code) => {
    const server = new FakeServer();
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    expect(client.state).toBe("online");
    server.socket.serverClose(code, "test");
    await flush();
    await vi.advanceTimersByTimeAsync(1_000);
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(client.state).toBe("online");
    expect(events.unauthorized).toEqual([]);
  });

  it.each([
    ["4403 banned", CloseCode.Banned, "banned"],
    ["4409 replaced", CloseCode.Replaced, "replaced"],
    ["4426 version not served", CloseCode.VersionNotServed, "unsupported_version"],
  ] as const)("after %s it stops, says why, and does not reconnect nor log the user out", async (_, code, reason) => {
    const server = new FakeServer();
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.socket.serverClose(code, "said the server");
    await flush();
    expect(events.state.at(-1)).toEqual({ state: "offline", reason, message: "said the server" });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.sockets).toHaveLength(1);
    expect(client.state).toBe("offline");
    expect(events.unauthorized).toEqual([]);
    // connect() is the way back.
    client.connect();
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(client.state).toBe("online");
  });

  it("4401 (credentials refused) stops and reports unauthorized, even during authentication", async () => {
    const server = new FakeServer();
    stallFirstAuth(server);
    const { client, events } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.socket.serverClose(CloseCode.Unauthorized, "token revoked");
    await flush();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.sockets).toHaveLength(1);
    expect(events.unauthorized).toEqual([{ message: "token revoked" }]);
    expect(events.state.at(-1)).toEqual({ state: "offline", reason: "unauthorized" });
  });

  it("replaced: resume() (the user came back to this device) reconnects; banned: it does not", async () => {
    const server = new FakeServer();
    const { client } = fakeClient(server, "alice");
    client.connect();
    await flush();
    server.socket.serverClose(CloseCode.Replaced, "replaced");
    await flush();
    client.resume();
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(client.state).toBe("online");

    server.socket.serverClose(CloseCode.Banned, "banned");
    await flush();
    client.resume();
    await flush();
    expect(server.sockets).toHaveLength(2);
    expect(client.state).toBe("offline");
  });
});
