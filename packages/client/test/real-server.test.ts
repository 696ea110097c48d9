import { CloseCode } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { memoryStorage } from "../src/adapters/storages";
import type { RecoveredEvent } from "../src/events";
import { login, nodeTransport, realClient, until, useRealServer } from "./support/real-server";
import { TapTransport } from "./support/tap-transport";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("ChatClient against the real server", () => {
  const real = useRealServer();

  /** Two online clients in one group. */
  async function aliceAndBob(options: { bobTransport?: TapTransport; heartbeatMs?: number } = {}) {
    const server = await real.start(options.heartbeatMs ? { config: { heartbeatMs: options.heartbeatMs } } : {});
    const alice = realClient(server, await login(server, "alice"));
    const bobOptions = options.bobTransport ? { transport: options.bobTransport } : {};
    const bob = realClient(server, await login(server, "bob"), bobOptions);
    real.onCleanup(
      () => alice.client.close(),
      () => bob.client.close(),
    );
    alice.client.connect();
    bob.client.connect();
    await until(alice.client, () => alice.client.state === "online", "alice online");
    await until(bob.client, () => bob.client.state === "online", "bob online");
    const group = await alice.client.createGroup("team", ["bob"]);
    return { alice, bob, group, server };
  }

  it("connects, creates a group, sends and receives in order", { timeout: 30_000 }, async () => {
    const { alice, bob, group } = await aliceAndBob();
    const sent = await Promise.all(range(1, 10).map((i) => alice.client.send(group.id, `hello ${i}`).done));
    expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(range(1, 10));
    await until(bob.client, () => bob.received.length === 10, "bob receives 10");
    expect(bob.received.map((m) => m.seq)).toEqual(range(1, 10));
    expect(alice.received.map((m) => m.seq)).toEqual(range(1, 10));
    expect(bob.client.conversation(group.id)?.unread).toBe(10);
  });

  it("outbox survives a restart: sent offline, client discarded, rebuilt on the same storage: delivered once", {
    timeout: 30_000,
  }, async () => {
    const { bob, group, server } = await aliceAndBob();
    const storage = memoryStorage();
    const aliceToken = await login(server, "alice");
    const offline = realClient(server, aliceToken, { storage });
    const handle = offline.client.send(group.id, "written while offline");
    expect(offline.client.outbox().map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    offline.client.close(); // the app is killed; only the storage remains

    const restarted = realClient(server, aliceToken, { storage });
    real.onCleanup(() => restarted.client.close());
    expect(restarted.client.outbox().map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    restarted.client.connect();
    await until(restarted.client, () => restarted.client.outbox().length === 0, "outbox drained");
    await until(bob.client, () => bob.received.length === 1, "bob receives it");
    const history = await restarted.client.api.history(group.id, { afterSeq: 0 });
    expect(history.messages.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(bob.received.map((m) => m.body.kind === "text" && m.body.text)).toEqual(["written while offline"]);
  });

  it("a send whose ack was lost is stored once after a restart", { timeout: 30_000 }, async () => {
    const { bob, group, server } = await aliceAndBob();
    const storage = memoryStorage();
    const aliceToken = await login(server, "alice");
    const tap = new TapTransport(nodeTransport);
    tap.dropIncoming = (text) => text.includes('"type":"ack"');
    const first = realClient(server, aliceToken, { storage, transport: tap });
    first.client.connect();
    const handle = first.client.send(group.id, "stored, ack lost");
    // Bob seeing it proves the server stored it; Alice never heard back.
    await until(bob.client, () => bob.received.length === 1, "bob receives it");
    expect(first.client.outbox()).toHaveLength(1);
    first.client.close();

    const second = realClient(server, aliceToken, { storage });
    real.onCleanup(() => second.client.close());
    second.client.connect();
    await until(second.client, () => second.client.outbox().length === 0, "outbox drained");
    const history = await second.client.api.history(group.id, { afterSeq: 0 });
    expect(history.messages.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(second.client.messages(group.id).map((m) => m.seq)).toEqual([1]);
    expect(bob.received).toHaveLength(1);
  });

  it("a push that skips seqs is repaired by a sync", { timeout: 30_000 }, async () => {
    const tap = new TapTransport(nodeTransport);
    const { alice, bob, group } = await aliceAndBob({ bobTransport: tap });
    const recovered: RecoveredEvent[] = [];
    bob.client.on("recovered", (event) => recovered.push(event));
    tap.dropIncoming = (text) => text.includes('"type":"message"') && text.includes('"seq":2,');
    for (const i of range(1, 3)) await alice.client.send(group.id, `#${i}`).done;
    await until(bob.client, () => bob.received.length === 3, "bob receives 3");
    expect(bob.received.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(tap.sent("sync").some((frame) => frame.conversationId === group.id && frame.afterSeq === 1)).toBe(true);
    expect(recovered).toEqual([{ conversationId: group.id, fromSeq: 2, toSeq: 2, count: 1 }]);
  });

  it("suspended past the server's heartbeat timeout, others send 50, resume: all 50 once, in order, recovered", {
    timeout: 60_000,
  }, async () => {
    const tap = new TapTransport(nodeTransport);
    const { alice, bob, group } = await aliceAndBob({ bobTransport: tap, heartbeatMs: 1_000 });
    const recovered: RecoveredEvent[] = [];
    bob.client.on("recovered", (event) => recovered.push(event));
    await alice.client.send(group.id, "before").done;
    await until(bob.client, () => bob.received.length === 1, "bob receives the first");

    // The app goes to the background and its JS thread freezes: the socket stays open but silent.
    tap.frozen = true;
    const serverGaveUp = tap.nextNetworkClose();
    bob.client.suspend();
    expect((await serverGaveUp).code).toBe(CloseCode.HeartbeatTimeout);

    await Promise.all(range(1, 50).map((i) => alice.client.send(group.id, `while away ${i}`).done));
    tap.frozen = false;
    bob.client.resume();
    await until(bob.client, () => bob.received.length === 51, "bob catches up");
    expect(bob.received.map((m) => m.seq)).toEqual(range(1, 51));
    expect(recovered.reduce((sum, event) => sum + event.count, 0)).toBe(50);
    expect(Math.min(...recovered.map((e) => e.fromSeq))).toBe(2);
    expect(Math.max(...recovered.map((e) => e.toSeq))).toBe(51);
  });

  it("stops on a refused token and does not reconnect", { timeout: 30_000 }, async () => {
    const server = await real.start();
    const tap = new TapTransport(nodeTransport);
    const { client } = realClient(server, "not-a-token", { transport: tap });
    real.onCleanup(() => client.close());
    const unauthorized = new Promise<string>((resolve) => client.on("unauthorized", (e) => resolve(e.message)));
    client.connect();
    await unauthorized;
    expect(tap.networkCloses.map((c) => c.code)).toEqual([CloseCode.Unauthorized]);
    expect(client.state).toBe("offline");
    expect(tap.sent("auth")).toHaveLength(1);
  });
});
