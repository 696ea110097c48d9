import { describe, expect, it } from "vitest";
import { formatMarker, readMarker } from "../src/client/marker";
import { DeliveryTracker } from "../src/measure/delivery-tracker";
import { spreadOf } from "../src/measure/spread";
import { RateLadder } from "../src/scenarios/rate-ladder";

describe("marker", () => {
  it("reads sender, room, sequence and send time back from a frame's bytes", () => {
    const id = formatMarker(17, 3, 42, 123456.7);
    const frame = Buffer.from(JSON.stringify({ type: "message", message: { id: "m1", clientMsgId: id, seq: 9 } }));
    expect(readMarker(frame)).toEqual({ sender: 17, room: 3, n: 42, sentAtMicros: 123456 });
  });

  it("ignores a clientMsgId that is not one of ours", () => {
    expect(readMarker(Buffer.from('{"clientMsgId":"hello-world"}'))).toBeNull();
    expect(readMarker(Buffer.from('{"type":"pong"}'))).toBeNull();
  });
});

describe("DeliveryTracker", () => {
  it("counts a late arrival as reordered and a repeat as a duplicate", () => {
    const tracker = new DeliveryTracker(2);
    expect(tracker.record(0, 5, 1)).toBe(true);
    expect(tracker.record(0, 5, 3)).toBe(true);
    expect(tracker.record(0, 5, 2)).toBe(true);
    expect(tracker.record(0, 5, 2)).toBe(false);
    expect(tracker.totals()).toEqual({ delivered: 3, reordered: 1, duplicates: 1 });
    expect(tracker.lostInStream(0, 5, 3, undefined)).toBe(0);
  });

  it("counts gaps and unsent tails as lost, except sends the server refused", () => {
    const tracker = new DeliveryTracker(2);
    tracker.record(1, 7, 1);
    tracker.record(1, 7, 4);
    // 2 and 3 missing, 5 never arrived; 3 was refused by the server.
    expect(tracker.lostInStream(1, 7, 5, new Set([3]))).toBe(2);
    // A receiver that saw nothing lost everything that was sent.
    expect(tracker.lostInStream(0, 7, 5, undefined)).toBe(5);
  });
});

describe("RateLadder", () => {
  it("grows until a failure, then bisects between the last pass and the first failure", () => {
    const ladder = new RateLadder(1000, 2, 1, 100_000);
    const tried: number[] = [];
    for (let rate = ladder.next(); rate !== null; rate = ladder.next()) {
      tried.push(rate);
      ladder.report(rate, rate <= 5000);
    }
    expect(tried).toEqual([1000, 2000, 4000, 8000, 5700]);
    expect(ladder.saturation).toBe(4000);
  });

  it("halves when even the first rate fails", () => {
    const ladder = new RateLadder(2000, 2, 1, 100_000);
    const tried: number[] = [];
    for (let rate = ladder.next(); rate !== null; rate = ladder.next()) {
      tried.push(rate);
      ladder.report(rate, rate <= 500);
    }
    expect(tried[0]).toBe(2000);
    expect(tried[1]).toBe(1000);
    expect(tried[2]).toBe(500);
    expect(ladder.saturation).toBe(500);
  });
});

describe("spreadOf", () => {
  it("gives the median with min and max", () => {
    expect(spreadOf([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3 });
    expect(spreadOf([4, 1, 2, 3]).median).toBe(2.5);
    expect(Number.isNaN(spreadOf([]).median)).toBe(true);
  });
});
