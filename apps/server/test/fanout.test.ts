import { describe, expect, it } from "vitest";
import { fanOut } from "../src/gateway/fanout";
import { ConnectionRegistry, type Outlet } from "../src/gateway/registry";
import type { WireFrame } from "../src/gateway/wire-frame";

class RecordingOutlet implements Outlet {
  readonly written: WireFrame[] = [];
  write(frame: WireFrame): void {
    this.written.push(frame);
  }
}

const message = {
  id: "m1",
  conversationId: "c1",
  seq: 1,
  senderId: "alice",
  clientMsgId: "x",
  body: { kind: "text" as const, text: "hi" },
  createdAt: 1,
};

describe("fanOut", () => {
  it("serializes a message once and writes the same buffer to every socket of every recipient", () => {
    const registry = new ConnectionRegistry<RecordingOutlet>();
    const [alicePhone, aliceLaptop, bob, eve] = [1, 2, 3, 4].map(() => new RecordingOutlet());
    if (!alicePhone || !aliceLaptop || !bob || !eve) throw new Error("setup");
    registry.add("alice", alicePhone);
    registry.add("alice", aliceLaptop);
    registry.add("bob", bob);
    registry.add("eve", eve);

    fanOut(registry, { type: "message", recipients: ["alice", "bob", "offline"], conversationId: "c1", message });

    const [first] = alicePhone.written;
    expect(Buffer.isBuffer(first?.wire)).toBe(true);
    expect(aliceLaptop.written[0]).toBe(first); // the very same object, not an equal copy
    expect(bob.written[0]).toBe(first);
    expect(eve.written).toEqual([]);
    expect(JSON.parse(String(first))).toEqual({ type: "message", conversationId: "c1", message });
  });

  it("gives each member their own conversation view", () => {
    const registry = new ConnectionRegistry<RecordingOutlet>();
    const alice = new RecordingOutlet();
    const bob = new RecordingOutlet();
    registry.add("alice", alice);
    registry.add("bob", bob);
    const shared = {
      id: "c1",
      kind: "group" as const,
      title: 't "quoted" 😀',
      memberIds: ["alice", "bob", "offline"],
      lastSeq: 2,
      updatedAt: 1,
      memberReadSeqs: [
        { userId: "alice", readSeq: 2 },
        { userId: "bob", readSeq: 0 },
        { userId: "offline", readSeq: 1 },
      ],
      lastMessage: { ...message, seq: 2 },
    };
    const written = fanOut(registry, {
      type: "conversation",
      conversation: shared,
      members: [
        { userId: "alice", readSeq: 2, unread: 0, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
        { userId: "bob", readSeq: 0, unread: 2, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
        { userId: "offline", readSeq: 1, unread: 1, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
      ],
    });
    expect(written).toBe(2);
    expect(JSON.parse(String(alice.written[0]))).toEqual({
      type: "conversation",
      conversation: { ...shared, readSeq: 2, unread: 0, settings: { pinned: false, muted: false } },
    });
    expect(JSON.parse(String(bob.written[0]))).toEqual({
      type: "conversation",
      conversation: { ...shared, readSeq: 0, unread: 2, settings: { pinned: false, muted: false } },
    });
  });

  it("builds no frame for a conversation event whose members are not connected here", () => {
    const registry = new ConnectionRegistry<RecordingOutlet>();
    const alice = new RecordingOutlet();
    registry.add("alice", alice);
    let serialized = 0;
    const conversation = {
      id: "c1",
      kind: "group" as const,
      title: "t",
      memberIds: ["x", "y"],
      lastSeq: 0,
      updatedAt: 1,
      // Counts every serialization of the shared body.
      toJSON() {
        serialized++;
        return { id: "c1" };
      },
    };
    const members = [
      { userId: "x", readSeq: 0, unread: 0, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
      { userId: "y", readSeq: 0, unread: 0, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
    ];
    expect(fanOut(registry, { type: "conversation", conversation, members })).toBe(0);
    expect(serialized).toBe(0);
    // A removal is written only to the removed who are connected here: alice, not x.
    const removal = {
      type: "members_removed",
      conversationId: "c1",
      userIds: ["x", "alice"],
      reason: "removed",
      seq: 3,
    } as const;
    expect(fanOut(registry, removal)).toBe(1);
    expect(JSON.parse(String(alice.written[0]))).toEqual({
      type: "conversation_removed",
      conversationId: "c1",
      reason: "removed",
    });
  });

  it("keeps a user's connections through adds and removes in any order, writing each once", () => {
    const registry = new ConnectionRegistry<RecordingOutlet>();
    const [a, b, c] = [1, 2, 3].map(() => new RecordingOutlet());
    if (!a || !b || !c) throw new Error("setup");
    const frame = (n: number) => ({ wire: Buffer.from([n]), payload: Buffer.from([n]) }) as unknown as WireFrame;
    expect(registry.add("alice", a)).toBe(true);
    expect(registry.add("alice", a)).toBe(false); // the same connection twice is still one
    expect(registry.deliver(["alice"], frame(1))).toBe(1);
    expect(registry.add("alice", b)).toBe(false);
    expect(registry.add("alice", c)).toBe(false);
    expect(registry.deliver(["alice", "nobody"], frame(2))).toBe(3);
    expect(registry.remove("alice", b)).toBe(false);
    expect(registry.remove("alice", b)).toBe(false); // already gone
    expect(registry.remove("alice", a)).toBe(false);
    expect(registry.deliver(["alice"], frame(3))).toBe(1);
    expect(registry.isOnline("alice")).toBe(true);
    expect(registry.remove("alice", c)).toBe(true);
    expect(registry.isOnline("alice")).toBe(false);
    expect(registry.deliver(["alice"], frame(4))).toBe(0);
    expect(a.written.map((f) => f.wire[0])).toEqual([1, 2]);
    expect(b.written.map((f) => f.wire[0])).toEqual([2]);
    expect(c.written.map((f) => f.wire[0])).toEqual([2, 3]);
  });

  it("tracks a user's first and last connection", () => {
    const registry = new ConnectionRegistry<RecordingOutlet>();
    const a = new RecordingOutlet();
    const b = new RecordingOutlet();
    expect(registry.add("alice", a)).toBe(true);
    expect(registry.add("alice", b)).toBe(false);
    expect(registry.remove("alice", a)).toBe(false);
    expect(registry.remove("alice", b)).toBe(true);
    expect(registry.isOnline("alice")).toBe(false);
  });
});
