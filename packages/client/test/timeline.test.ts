import type { Message } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { Timeline } from "../src/timeline";

const message = (seq: number): Message => ({
  id: `m${seq}`,
  conversationId: "c1",
  seq,
  senderId: "bob",
  clientMsgId: `k${seq}`,
  body: { kind: "text", text: `#${seq}` },
  createdAt: seq,
});
const seqs = (messages: readonly Message[]) => messages.map((m) => m.seq);

describe("Timeline", () => {
  it("delivers in-order messages at once", () => {
    const timeline = new Timeline(0);
    expect(seqs(timeline.accept(message(1)))).toEqual([1]);
    expect(seqs(timeline.accept(message(2)))).toEqual([2]);
    expect(timeline.contiguousSeq).toBe(2);
    expect(timeline.hasGap).toBe(false);
  });

  it("drops duplicates, whether delivered or waiting beyond a hole", () => {
    const timeline = new Timeline(0);
    timeline.accept(message(1));
    expect(timeline.accept(message(1))).toEqual([]);
    timeline.accept(message(3));
    expect(timeline.accept(message(3))).toEqual([]);
    expect(seqs(timeline.messages)).toEqual([1]);
  });

  it("holds messages beyond a hole and releases them in order when it is filled", () => {
    const timeline = new Timeline(0);
    timeline.accept(message(1));
    expect(timeline.accept(message(4))).toEqual([]);
    expect(timeline.accept(message(3))).toEqual([]);
    expect(timeline.hasGap).toBe(true);
    expect(timeline.contiguousSeq).toBe(1);
    expect(timeline.highestSeq).toBe(4);
    expect(seqs(timeline.accept(message(2)))).toEqual([2, 3, 4]);
    expect(timeline.hasGap).toBe(false);
    expect(seqs(timeline.messages)).toEqual([1, 2, 3, 4]);
  });

  it("starts after its base: history below it is not news", () => {
    const timeline = new Timeline(10);
    expect(timeline.accept(message(10))).toEqual([]);
    expect(seqs(timeline.accept(message(11)))).toEqual([11]);
    expect(timeline.oldestSeq).toBe(11);
  });

  it("prepends older history once and in order", () => {
    const timeline = new Timeline(10);
    timeline.accept(message(11));
    const fresh = timeline.prepend([message(8), message(9), message(10), message(11)]);
    expect(seqs(fresh)).toEqual([8, 9, 10]);
    expect(seqs(timeline.messages)).toEqual([8, 9, 10, 11]);
    expect(timeline.prepend([message(9)])).toEqual([]);
    expect(timeline.oldestSeq).toBe(8);
  });

  it("delivers every seq exactly once whatever the arrival order", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const arrivals: number[] = [];
    for (let seq = 1; seq <= 200; seq++) arrivals.push(seq, seq);
    for (let i = arrivals.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [arrivals[i], arrivals[j]] = [arrivals[j] as number, arrivals[i] as number];
    }
    const timeline = new Timeline(0);
    const delivered: number[] = [];
    for (const seq of arrivals) delivered.push(...seqs(timeline.accept(message(seq))));
    expect(delivered).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });
});
