import type { Message } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { Timeline } from "../src/timeline";

const text = (seq: number, senderId = "bob"): Message => ({
  id: `m${seq}`,
  conversationId: "c1",
  seq,
  senderId,
  clientMsgId: `k${seq}`,
  body: { kind: "text", text: `#${seq}` },
  createdAt: seq,
});
const recallOf = (seq: number, target: number, senderId = "bob", by?: "sender" | "admin"): Message => ({
  ...text(seq, senderId),
  body:
    by === undefined ? { kind: "recall", messageId: `m${target}` } : { kind: "recall", messageId: `m${target}`, by },
});
const kinds = (timeline: Timeline) => timeline.messages.map((m) => `${m.seq}:${m.body.kind}`);

describe("Timeline: recall", () => {
  it("turns a loaded message into a tombstone in place (seq, sender, time kept) and says so once", () => {
    const timeline = new Timeline(0);
    for (const seq of [1, 2]) timeline.accept(text(seq));
    const [recall] = timeline.accept(recallOf(3, 1));
    if (!recall) throw new Error("delivered");
    const change = timeline.applyRecall(recall);
    expect(change?.message).toEqual({ ...text(1), body: { kind: "recalled", by: "sender" } });
    expect(change?.recall).toBe(recall);
    expect(kinds(timeline)).toEqual(["1:recalled", "2:text", "3:recall"]);
    // A repeat of the recall (a second push) changes nothing more.
    expect(timeline.applyRecall(recall)).toBeUndefined();
    expect(timeline.accept(recall)).toEqual([]);
  });

  it("takes `by` from the server, else from who recalled (the sender or someone managing the group)", () => {
    const timeline = new Timeline(0);
    for (const seq of [1, 2, 3]) timeline.accept(text(seq));
    const byOwner = timeline.applyRecall(recallOf(4, 1, "owner"));
    expect(byOwner?.message.body).toEqual({ kind: "recalled", by: "admin" });
    expect(timeline.applyRecall(recallOf(5, 2, "bob", "sender"))?.message.body).toEqual({
      kind: "recalled",
      by: "sender",
    });
    expect(timeline.applyRecall(text(6))).toBeUndefined();
  });

  it("tombstones an original that arrives after its recall: an older page, a held message, a resync", () => {
    // The app opened the conversation near its end: seq 1..3 are history below the base.
    const timeline = new Timeline(3);
    const [recall] = timeline.accept(recallOf(4, 2));
    if (!recall) throw new Error("delivered");
    expect(timeline.applyRecall(recall)).toBeUndefined();
    // An older page that was read before the recall committed still carries the text.
    const older = timeline.prepend([text(1), text(2), text(3)]);
    expect(older.map((m) => m.body.kind)).toEqual(["text", "recalled", "text"]);
    expect(kinds(timeline)).toEqual(["1:text", "2:recalled", "3:text", "4:recall"]);

    // Beyond a hole: the recall is delivered once the hole is filled; the held original turns too.
    const gap = new Timeline(0);
    gap.accept(text(1));
    gap.accept(text(3));
    gap.accept(recallOf(4, 3));
    const filled = gap.accept(text(2));
    expect(filled.map((m) => m.seq)).toEqual([2, 3, 4]);
    const recall4 = filled[2];
    if (!recall4) throw new Error("delivered");
    expect(gap.applyRecall(recall4)?.message.body).toEqual({ kind: "recalled", by: "sender" });
    expect(kinds(gap)).toEqual(["1:text", "2:text", "3:recalled", "4:recall"]);

    // The recall first (a push beyond a hole), the original later from a sync that read it before the recall.
    const resync = new Timeline(0);
    resync.accept(text(1));
    expect(resync.accept(recallOf(3, 2))).toEqual([]);
    const delivered = resync.accept(text(2));
    expect(delivered.map((m) => m.seq)).toEqual([2, 3]);
    for (const message of delivered) resync.applyRecall(message);
    expect(kinds(resync)).toEqual(["1:text", "2:recalled", "3:recall"]);
  });
});
