import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFanout } from "../src/load/fanout-window";
import { type Fleet, openFleet } from "../src/load/fleet";
import { startCluster } from "../src/systems/cluster";
import { mysqlAvailable } from "../src/systems/mariadb";
import type { RunningSystem } from "../src/systems/systems";

/**
 * Three real mpchat instances on MariaDB + Redis (MYSQL_URL, REDIS_URL), users
 * round-robin over them: every member of a room gets every message once and in
 * order, whichever instance the sender is on; the CPU window sums every
 * instance. No timing assertions.
 */
const enabled = Boolean(process.env.REDIS_URL) && (await mysqlAvailable());

describe.runIf(enabled)("a cluster of three instances", () => {
  let system: RunningSystem;
  let fleet: Fleet;

  beforeAll(async () => {
    system = await startCluster(3, { core: null, logDir: "bench-results/test-logs" });
  });
  afterAll(async () => {
    await fleet?.close();
    await system?.stop();
  });

  it("delivers a room of 6 spread over the instances, and a pair on two instances", async () => {
    expect(system.servers?.length).toBe(3);
    // Room 0: users 0..5 (two on each instance); room 1: users 0 and 1 (instances 0 and 1).
    fleet = await openFleet(
      system,
      6,
      [
        [0, 1, 2, 3, 4, 5],
        [0, 1],
      ],
      { trackCompletion: true },
    );
    const result = await runFanout(fleet, {
      messages: 60,
      window: 6,
      senders: [
        { sender: 0, room: 0 },
        { sender: 4, room: 0 },
        { sender: 1, room: 1 },
      ],
      stallTimeoutMs: 20_000,
    });
    expect(result.completed).toBe(true);
    // 40 messages to 6 members, 20 to 2.
    expect(result.stats.delivered).toBe(40 * 6 + 20 * 2);
    expect(result.stats.errors).toEqual({});
    expect(result.cpu.serverCpuSeconds).toBeGreaterThan(0);
    expect(fleet.traffic.integrity()).toMatchObject({ sent: 60, lost: 0, reordered: 0, duplicates: 0 });
  });
});
