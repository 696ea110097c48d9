import { CloseCode, type ServerFrame } from "@mpchat/protocol";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalBus } from "../src/bus/local";
import { devLogin, TestClient } from "./support/client";
import { startTestServer, type TestConfig, type TestServer } from "./support/server";

const isReceiptOf = (userId: string) => (f: ServerFrame) => f.type === "receipt" && f.userId === userId;

describe("per-user and per-address WebSocket limits", () => {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];
  const start = async (config: TestConfig) => {
    server = await startTestServer({ config });
    return server;
  };
  const connect = async (s: TestServer, userId: string) => {
    const client = await TestClient.connect(s, userId);
    clients.push(client);
    return client;
  };
  afterEach(async () => {
    await Promise.all(clients.map((client) => client.close()));
    clients.length = 0;
    await server?.close();
    server = undefined;
  });

  it("closes a user's oldest connection with 4409 when they open one past MAX_CONNECTIONS_PER_USER", async () => {
    const s = await start({ gateway: { maxConnectionsPerUser: 2 } });
    const first = await connect(s, "alice");
    const second = await connect(s, "alice");
    const bob = await connect(s, "bob");
    const third = await connect(s, "alice");
    expect((await first.closed).code).toBe(CloseCode.Replaced);
    const fourth = await connect(s, "alice");
    expect((await second.closed).code).toBe(CloseCode.Replaced);
    for (const client of [third, fourth, bob]) expect((await client.request({ type: "ping" })).type).toBe("pong");
    // alice is still online (her newest two are): bob never heard her go offline.
    expect(bob.frames.some((f) => f.type === "presence" && f.userId === "alice" && !f.online)).toBe(false);
  });

  it("closes a new socket with 4429 past MAX_UNAUTHENTICATED_PER_ADDRESS waiting for auth; auth or close frees a place", async () => {
    const s = await start({ gateway: { maxUnauthenticatedPerAddress: 3 } });
    const { token } = await devLogin(s, "alice");
    const open = async () => {
      const client = await TestClient.open(s);
      clients.push(client);
      return client;
    };
    const [a, b] = [await open(), await open(), await open()];
    expect((await (await open()).closed).code).toBe(CloseCode.Flooding);
    // An authenticated socket no longer counts.
    expect((await a?.request({ type: "auth", token }))?.type).toBe("ready");
    const fourth = await open();
    expect((await (await open()).closed).code).toBe(CloseCode.Flooding);
    // Nor does a closed one (once the server has seen it close).
    const before = s.app.gateway.connectionCount;
    await b?.close();
    await vi.waitFor(() => expect(s.app.gateway.connectionCount).toBe(before - 1));
    const fifth = await open();
    for (const client of [fourth, fifth]) expect((await client.request({ type: "auth", token })).type).toBe("ready");
  });

  it("pushes at most one typing per (user, conversation) per window", async () => {
    const s = await start({});
    const alice = await connect(s, "alice");
    const bob = await connect(s, "bob");
    const group = await alice.api(s).createGroup("typing", ["bob"]);
    const other = await alice.api(s).createGroup("typing too", ["bob"]);
    for (let i = 0; i < 20; i++) alice.sendRaw(JSON.stringify({ type: "typing", conversationId: group.id }));
    alice.sendRaw(JSON.stringify({ type: "typing", conversationId: other.id }));
    // Frames are handled in order: once the message arrives, every typing before it was handled.
    await alice.sendText(group.id, "done typing");
    await bob.waitFor((f) => f.type === "message" && f.conversationId === group.id);
    const typings = bob.frames.filter((f) => f.type === "typing");
    expect(typings.map((f) => f.type === "typing" && f.conversationId)).toEqual([group.id, other.id]);
  });

  it("pushes at most one receipt per (user, conversation) per window, and the final cursor at its end", async () => {
    // Long enough that the four reads below always fall into one window, even on a loaded machine.
    const s = await start({ chatLimits: { typingWindowMs: 3000, receiptWindowMs: 1500, maxPageBytes: 1024 * 1024 } });
    const alice = await connect(s, "alice");
    const bob = await connect(s, "bob");
    const group = await alice.api(s).createGroup("reads", ["bob"]);
    for (let i = 0; i < 5; i++) await bob.sendText(group.id, `m${i}`);
    const reads = [1, 2, 3, 4].map((seq) => alice.request({ type: "read", conversationId: group.id, seq }));
    expect((await Promise.all(reads)).map((answer) => answer.type)).toEqual(["ok", "ok", "ok", "ok"]);
    // Every read is stored at once, whatever is pushed.
    const view = (await alice.api(s).conversations()).find((c) => c.id === group.id);
    expect(view).toMatchObject({ readSeq: 4, unread: 1 });
    await bob.waitFor((f) => isReceiptOf("alice")(f) && f.type === "receipt" && f.seq === 4);
    const seqs = bob.frames.filter(isReceiptOf("alice")).map((f) => (f.type === "receipt" ? f.seq : -1));
    // The first at once, the last of the burst at the window's end; none in between.
    expect(seqs).toEqual([1, 4]);
  });

  it("pushes a receipt still held by its window when the server shuts down", async () => {
    const bus = new LocalBus();
    const receipts: number[] = [];
    bus.subscribe((event) => {
      if (event.type === "receipt") receipts.push(event.seq);
    });
    const s = await startTestServer({
      config: { chatLimits: { typingWindowMs: 3000, receiptWindowMs: 60_000, maxPageBytes: 1024 * 1024 } },
      deps: { bus },
    });
    const alice = await TestClient.connect(s, "alice");
    const bob = await TestClient.connect(s, "bob");
    const group = await alice.api(s).createGroup("reads", ["bob"]);
    for (let i = 0; i < 3; i++) await bob.sendText(group.id, `m${i}`);
    for (const seq of [1, 3]) await alice.request({ type: "read", conversationId: group.id, seq });
    expect(receipts).toEqual([1]);
    await s.close();
    expect(receipts).toEqual([1, 3]);
  });

  it("asks the store for a user's contacts a bounded number of times when they reconnect in a loop", async () => {
    const s = await start({});
    const bob = await connect(s, "bob");
    const alice = await connect(s, "alice");
    await alice.api(s).createGroup("presence", ["bob"]);
    await alice.close();
    await bob.waitFor((f) => f.type === "presence" && f.userId === "alice" && !f.online);
    const contactsOf = vi.spyOn(s.store, "contactsOf");
    for (let i = 0; i < 50; i++) await (await TestClient.connect(s, "alice")).close();
    await connect(s, "alice");
    // Announcements are made in order per user: once the last one says online, all were made.
    await vi.waitFor(() => {
      const heard = bob.frames.filter((f) => f.type === "presence" && f.userId === "alice");
      expect(heard.at(-1)).toMatchObject({ online: true });
      expect(heard.length).toBeGreaterThan(2);
    });
    const asked = contactsOf.mock.calls.filter(([userId]) => userId === "alice").length;
    // 102 presence changes; without the cache that is 102 queries.
    expect(asked).toBeLessThanOrEqual(2);
  });
});
