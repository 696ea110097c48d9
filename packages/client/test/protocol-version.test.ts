import { CloseCode, type Message, PROTOCOL_VERSION } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { HttpClient } from "../src/ports/http";
import { login, nodeHttp, nodeTransport, realClient, until, useRealServer } from "./support/real-server";
import { TapTransport } from "./support/tap-transport";

/** The text alice sends that bob's "newer server" turns into a sticker, a kind this client does not know. */
const MARKER = "__sticker__";
const asSticker = (text: string) =>
  text.replaceAll(JSON.stringify({ kind: "text", text: MARKER }), JSON.stringify({ kind: "sticker", stickerId: "s1" }));
const shown = (message: Message) =>
  message.body.kind === "text"
    ? message.body.text
    : `[${"rawKind" in message.body ? message.body.rawKind : message.body.kind}]`;

describe("protocol version and body kinds, against the real server", () => {
  const real = useRealServer();

  it("sends its protocol version in auth and reads the session's version in ready", async () => {
    const server = await real.start();
    const tap = new TapTransport(nodeTransport);
    const seen: string[] = [];
    tap.rewriteIncoming = (text) => {
      seen.push(text);
      return text;
    };
    const { client } = realClient(server, await login(server, "alice"), { transport: tap });
    real.onCleanup(() => client.close());
    client.connect();
    await until(client, () => client.state === "online", "online");
    expect(tap.sent("auth")).toEqual([
      { type: "auth", id: expect.any(String), token: expect.any(String), protocolVersion: 2 },
    ]);
    expect(PROTOCOL_VERSION).toBe(2);
    const ready = seen.map((text) => JSON.parse(text)).find((frame) => frame.type === "ready");
    expect(ready).toMatchObject({ protocolVersion: 2 });
  });

  it("stops with unsupported_version and the server's reason when its version is not served (4426)", async () => {
    const server = await real.start();
    const tap = new TapTransport(nodeTransport);
    // Plays a client of a version this server does not serve.
    tap.rewriteOutgoing = (text) => text.replace('"protocolVersion":2', '"protocolVersion":3');
    const { client } = realClient(server, await login(server, "alice"), { transport: tap });
    real.onCleanup(() => client.close());
    const unauthorized: unknown[] = [];
    const states: unknown[] = [];
    client.on("unauthorized", (event) => unauthorized.push(event));
    client.on("state", (event) => states.push(event));
    const closed = tap.nextNetworkClose();
    client.connect();
    expect(await closed).toEqual({ code: CloseCode.VersionNotServed, reason: "serves protocol versions 1, 2" });
    await until(client, () => client.state === "offline", "offline");
    expect(states.at(-1)).toEqual({
      state: "offline",
      reason: "unsupported_version",
      message: "serves protocol versions 1, 2",
    });
    expect(unauthorized).toEqual([]);
    expect(tap.sent("auth").map((frame) => frame.protocolVersion)).toEqual([3]);
  });

  it("delivers messages of a body kind it does not know, in order, once: pushed and synced after a reconnect", {
    timeout: 30_000,
  }, async () => {
    const server = await real.start();
    const alice = realClient(server, await login(server, "alice"));
    // Bob's link and HTTP play a newer server that stores some messages as stickers.
    const tap = new TapTransport(nodeTransport);
    tap.rewriteIncoming = asSticker;
    const http: HttpClient = {
      request: async (request) => {
        const response = await nodeHttp.request(request);
        return { ...response, body: asSticker(response.body) };
      },
    };
    const bob = realClient(server, await login(server, "bob"), { transport: tap, http });
    real.onCleanup(
      () => alice.client.close(),
      () => bob.client.close(),
    );
    alice.client.connect();
    bob.client.connect();
    await until(alice.client, () => alice.client.state === "online", "alice online");
    await until(bob.client, () => bob.client.state === "online", "bob online");
    const group = await alice.client.createGroup("team", ["bob"]);

    for (const text of ["one", MARKER, "three"]) await alice.client.send(group.id, text).done;
    await until(bob.client, () => bob.received.length === 3, "bob receives 3 pushed");

    bob.client.close();
    for (const text of [MARKER, "five", MARKER]) await alice.client.send(group.id, text).done;
    bob.client.connect();
    await until(bob.client, () => bob.received.length === 6, "bob receives 3 more by sync");

    expect(bob.received.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bob.received.map(shown)).toEqual(["one", "[sticker]", "three", "[sticker]", "five", "[sticker]"]);
    expect(bob.received[1]?.body).toEqual({ kind: "unknown", rawKind: "sticker" });
    // The frames carrying them were batches on the second socket, not only pushes.
    expect(tap.sent("sync").length).toBeGreaterThan(0);
    expect(bob.client.conversation(group.id)?.lastSeq).toBe(6);
  });
});
