import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadForMedia } from "../src/client/media-upload";
import type { MpchatClient } from "../src/client/mpchat-client";
import { runClosedLoop } from "../src/load/closed-loop";
import { type Fleet, openFleet, pairRooms } from "../src/load/fleet";
import { syntheticJpeg } from "../src/media/synthetic-jpeg";
import { imageBody } from "../src/scenarios/image-sends";
import { LIFTED_SEND_LIMITS } from "../src/scenarios/lifted-send-limits";
import { variantEnv } from "../src/scenarios/send-checks";
import { type RunningSystem, startSystem } from "../src/systems/systems";
import { type RunningFakeWeChat, startFakeWeChat } from "../src/wechat-fake/start-fake-wechat";

/**
 * The send-path scenarios' parts against a real mpchat server: WeChat users
 * logged in through the bench's fake WeChat, every text sent to msg_sec_check
 * once; image bodies naming each sender's upload. No timing assertions.
 */
const LOGS = "bench-results/test-logs";

describe("content checks through the fake WeChat", () => {
  let fake: RunningFakeWeChat;
  let system: RunningSystem;
  let fleet: Fleet;

  beforeAll(async () => {
    fake = await startFakeWeChat(50, LOGS);
    system = await startSystem("mpchat-sqlite", {
      core: null,
      logDir: LOGS,
      env: variantEnv("wechat", fake.baseUrl, "unused"),
      login: "wechat",
    });
  });
  afterAll(async () => {
    await fleet?.close();
    await system?.stop();
    await fake?.stop();
  });

  it("logs WeChat users in and checks every text once before its ack", async () => {
    fleet = await openFleet(system, 4, pairRooms(4), { userPrefix: "smoke" });
    expect((fleet.client as MpchatClient).idOf(1)).toBe("wx_smoke1");
    const result = await runClosedLoop(fleet, {
      concurrency: 4,
      seconds: 0.5,
      drainTimeoutMs: 20_000,
      roomOf: (u) => Math.floor(u / 2),
    });
    expect(result.drained).toBe(true);
    expect(result.stats.errors).toEqual({});
    expect(result.stats.acked).toBe(result.stats.sent);
    const calls = await fake.calls();
    expect(calls.jscode2session).toBe(4);
    expect(calls.msg_sec_check).toBe(result.stats.sent);
    expect(calls.other).toBe(0);
    expect(fleet.traffic.integrity()).toMatchObject({ lost: 0, reordered: 0, duplicates: 0, refused: 0 });
  });
});

describe("image messages", () => {
  let system: RunningSystem;
  let fleet: Fleet;

  beforeAll(async () => {
    // As the images scenario: two users in a closed loop outrun the per-connection send limit.
    system = await startSystem("mpchat-sqlite", { core: null, logDir: LOGS, env: { ...LIFTED_SEND_LIMITS } });
  });
  afterAll(async () => {
    await fleet?.close();
    await system?.stop();
  });

  it("sends image bodies naming each sender's own upload, all acked and delivered", async () => {
    fleet = await openFleet(system, 2, pairRooms(2), { userPrefix: "img" });
    const client = fleet.client as MpchatClient;
    const jpeg = await syntheticJpeg(64, 48, 4096);
    const media = await Promise.all(
      [0, 1].map((user) =>
        uploadForMedia(system.server.httpUrl, client.tokenOf(user), {
          kind: "image",
          clientMediaId: `smoke-${user}`,
          bytes: jpeg,
          filename: "a.jpg",
        }),
      ),
    );
    const bodies = media.map(imageBody);
    client.messageBody = (user) => bodies[user] as string;
    const result = await runClosedLoop(fleet, {
      concurrency: 2,
      seconds: 0.3,
      drainTimeoutMs: 20_000,
      roomOf: () => 0,
    });
    expect(result.stats.errors).toEqual({});
    expect(result.stats.acked).toBe(result.stats.sent);
    expect(fleet.traffic.integrity()).toMatchObject({ lost: 0, reordered: 0, duplicates: 0, refused: 0 });
  });
});
