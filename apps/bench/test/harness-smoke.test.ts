import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFanout } from "../src/load/fanout-window";
import { type Fleet, groupRooms, openFleet, pairRooms } from "../src/load/fleet";
import { runOpenLoop } from "../src/load/open-loop";
import { type RunningSystem, startSystem } from "../src/systems/systems";

/**
 * A tiny run of the harness against the two baselines: real child processes,
 * real sockets. It checks that every message is counted exactly once and in
 * order and that results have the shape the report reads. No timing assertions.
 */
describe.each(["ws", "socketio"] as const)("harness against the %s baseline", (target) => {
  let system: RunningSystem;
  let fleet: Fleet;

  beforeAll(async () => {
    system = await startSystem(target, { core: null, logDir: "bench-results/test-logs" });
  });
  afterAll(async () => {
    await fleet?.close();
    await system?.stop();
  });

  it("delivers 400 one-to-one messages to both members, none lost or reordered", async () => {
    fleet = await openFleet(system, 4, pairRooms(4));
    const result = await runOpenLoop(fleet, {
      rate: 400,
      seconds: 1,
      drainTimeoutMs: 20_000,
      pick: (k) => ({ sender: k % 4, room: Math.floor((k % 4) / 2) }),
    });
    expect(result.drained).toBe(true);
    expect(result.stats.sent).toBe(400);
    expect(result.stats.acked).toBe(400);
    // Each message reaches both members of its pair: the peer and the sender's own connection.
    expect(result.stats.delivered).toBe(800);
    expect(result.stats.push.count).toBe(400);
    expect(result.stats.errors).toEqual({});
    expect(result.cpu.serverCpuSeconds).toBeGreaterThanOrEqual(0);
    expect(result.cpu.wallSeconds).toBeGreaterThan(0);
    expect(fleet.traffic.integrity()).toEqual({
      sent: 400,
      lost: 0,
      reordered: 0,
      duplicates: 0,
      refused: 0,
      unexpectedCloses: 0,
    });
    await fleet.close();
  });

  it("fans 50 messages out to a room of 4 with a bounded window", async () => {
    fleet = await openFleet(system, 4, groupRooms(4, 4), { trackCompletion: true, userPrefix: "g" });
    const result = await runFanout(fleet, {
      messages: 50,
      window: 5,
      senders: [
        { sender: 0, room: 0 },
        { sender: 3, room: 0 },
      ],
      stallTimeoutMs: 20_000,
    });
    expect(result.completed).toBe(true);
    expect(result.stats.delivered).toBe(200);
    expect(fleet.traffic.integrity().lost).toBe(0);
    expect(fleet.traffic.integrity().reordered).toBe(0);
  });
});
