import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryStorage } from "../src/adapters/storages";
import { MemberReadCursors } from "../src/member-read-cursors";
import { fakeClient } from "./support/fake-client";
import { FakeServer } from "./support/fake-server";
import { flush } from "./support/flush";

const asObject = (cursors: Map<string, number>) => Object.fromEntries(cursors);

describe("MemberReadCursors", () => {
  const view = (memberReadSeqs?: { userId: string; readSeq: number }[]) => ({
    id: "c1",
    kind: "group" as const,
    title: "g",
    memberIds: ["alice", "constructor"],
    lastSeq: 9,
    readSeq: 0,
    unread: 0,
    updatedAt: 0,
    ...(memberReadSeqs ? { memberReadSeqs } : {}),
  });

  it("moves forward only: an older snapshot or receipt never rolls a cursor back", () => {
    const cursors = new MemberReadCursors();
    cursors.learn(view([{ userId: "alice", readSeq: 3 }]));
    expect(cursors.note("c1", "alice", 5)).toBe(true);
    expect(cursors.note("c1", "alice", 4)).toBe(false);
    cursors.learn(view([{ userId: "alice", readSeq: 2 }]));
    expect(cursors.readSeq("c1", "alice")).toBe(5);
  });

  it("keeps user ids that name Object.prototype members, and knows nothing from a view without the field", () => {
    const cursors = new MemberReadCursors();
    cursors.learn(view());
    expect(cursors.readSeq("c1", "constructor")).toBe(0);
    expect(cursors.readSeqsOf("c1").size).toBe(0);
    cursors.learn(view([{ userId: "constructor", readSeq: 7 }]));
    expect(asObject(cursors.readSeqsOf("c1"))).toEqual({ constructor: 7 });
    // A copy: changing it changes nothing inside.
    cursors.readSeqsOf("c1").set("constructor", 99);
    expect(cursors.readSeq("c1", "constructor")).toBe(7);
  });
});

describe("ChatClient.readSeqsOf (fake server)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("learns members' cursors from the list, receipts and their own messages; a restarted client from the list alone", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob", "carol"]);
    const storage = memoryStorage();
    const { client } = fakeClient(server, "alice", { storage });
    client.connect();
    await flush();
    expect(asObject(client.readSeqsOf(group.id))).toEqual({ alice: 0, bob: 0, carol: 0 });

    await client.send(group.id, "one").done;
    await client.send(group.id, "two").done;
    expect(client.readSeqOf(group.id, "alice")).toBe(2);

    const receipts: number[] = [];
    client.on("receipt", (receipt) => receipts.push(client.readSeqOf(receipt.conversationId, receipt.userId)));
    server.markRead(group.id, "bob", 2);
    await flush();
    // Already updated when the receipt event runs.
    expect(receipts).toEqual([2]);
    server.store(group.id, "carol", "three"); // sending moves carol's cursor to 3
    await flush();
    expect(asObject(client.readSeqsOf(group.id))).toEqual({ alice: 2, bob: 2, carol: 3 });
    // The conversation object does not carry a copy that receipts would leave stale.
    expect(client.conversation(group.id)?.memberReadSeqs).toBeUndefined();
    client.close();

    // Bob reads on while alice's app is closed; the restarted app has seen no receipt.
    server.markRead(group.id, "bob", 3);
    const restarted = fakeClient(server, "alice", { storage }).client;
    expect(restarted.readSeqOf(group.id, "bob")).toBe(0);
    const changed: number[] = [];
    restarted.on("conversation", (c) => c.id === group.id && changed.push(restarted.readSeqOf(group.id, "bob")));
    restarted.connect();
    await flush();
    expect(changed[0]).toBe(3);
    expect(asObject(restarted.readSeqsOf(group.id))).toEqual({ alice: 2, bob: 3, carol: 3 });
  });

  it("with a server that does not send memberReadSeqs, falls back to receipts and messages", async () => {
    const server = new FakeServer();
    server.sendsMemberReadSeqs = false;
    const group = server.createGroup(["alice", "bob"]);
    server.store(group.id, "bob", "hi");
    const { client } = fakeClient(server, "alice");
    client.connect();
    await flush();
    expect(asObject(client.readSeqsOf(group.id))).toEqual({ alice: 0, bob: 1 });
    client.markRead(group.id, 1);
    await flush();
    expect(client.readSeqOf(group.id, "alice")).toBe(1);
  });
});
