import type { Message } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus/bus";
import { REMOVAL_MEMORY_MS, RemovalLedger } from "../src/chat/removal-ledger";

const message = (seq: number): Message => ({
  id: `m${seq}`,
  conversationId: "c1",
  seq,
  senderId: "alice",
  clientMsgId: `k${seq}`,
  body: { kind: "text", text: "hi" },
  createdAt: 0,
});
const push = (seq: number, recipients = ["alice", "bob"]): BusEvent => ({
  type: "message",
  recipients,
  conversationId: "c1",
  message: message(seq),
});
const view = (lastSeq: number, memberIds: string[]): BusEvent => ({
  type: "conversation",
  conversation: { id: "c1", kind: "group", title: "t", memberIds, lastSeq, updatedAt: 0 },
  members: memberIds.map((userId) => ({
    userId,
    readSeq: 0,
    unread: 0,
    lastMentionSeq: 0,
    settings: { pinned: false, muted: false },
  })),
});

describe("RemovalLedger", () => {
  it("drops pushes of a conversation for who was removed, whichever seq they carry, until re-added", () => {
    let now = 1_000;
    const ledger = new RemovalLedger(() => now);
    expect(ledger.admits(push(4))).toEqual(push(4));
    ledger.hear({ type: "members_removed", conversationId: "c1", userIds: ["bob"], reason: "removed", seq: 5 });
    expect(ledger.isRemoved("c1", "bob")).toBe(true);
    expect(ledger.isRemoved("c1", "alice")).toBe(false);
    expect(ledger.isRemoved("c2", "bob")).toBe(false);
    // Chosen before the removal (seq 4) or by an instance that had not heard it yet (seq 6): alice only.
    for (const seq of [4, 6]) expect(ledger.admits(push(seq))).toEqual(push(seq, ["alice"]));
    expect(ledger.admits(push(6, ["bob"]))).toBeUndefined();
    const typing: BusEvent = { type: "typing", recipients: ["bob"], conversationId: "c1", userId: "alice" };
    expect(ledger.admits(typing)).toBeUndefined();
    // A view from before the removal (lastSeq 4 names bob): not for bob, and it does not re-admit him.
    ledger.hear(view(4, ["alice", "bob"]));
    expect(ledger.admits(view(4, ["alice", "bob"]))).toEqual({
      ...view(4, ["alice", "bob"]),
      members: [
        { userId: "alice", readSeq: 0, unread: 0, lastMentionSeq: 0, settings: { pinned: false, muted: false } },
      ],
    });
    expect(ledger.isRemoved("c1", "bob")).toBe(true);
    // Added again (a view after the removal naming him): everything flows again.
    ledger.hear(view(7, ["alice", "bob"]));
    expect(ledger.isRemoved("c1", "bob")).toBe(false);
    expect(ledger.admits(push(8))).toEqual(push(8));
    // A removal is forgotten long after any event could still be on its way.
    ledger.hear({ type: "members_removed", conversationId: "c1", userIds: ["bob"], reason: "left", seq: 9 });
    now += REMOVAL_MEMORY_MS;
    expect(ledger.isRemoved("c1", "bob")).toBe(false);
  });
});
