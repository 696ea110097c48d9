import { uploadForMedia } from "../client/media-upload";
import { MpchatClient } from "../client/mpchat-client";
import { mapLimit } from "../client/sockets";
import { TEXT_BODY } from "../client/system-client";
import { runClosedLoop } from "../load/closed-loop";
import { type Fleet, openFleet, pairRooms } from "../load/fleet";
import { runOpenLoop } from "../load/open-loop";
import { syntheticJpeg } from "../media/synthetic-jpeg";
import type { ImageSendTarget, ImagesResult, SendRun } from "../results-send-path";
import { type RunningSystem, startSystem } from "../systems/systems";
import { describeError, type ScenarioContext, startContext } from "./context";
import { LIFTED_SEND_LIMITS } from "./lifted-send-limits";
import { describeRun, sendRun, summarizeRuns } from "./send-run";

/** A chat photo's thumbnail-sized JPEG: the upload is not what is measured here, the message is. */
const JPEG = { width: 480, height: 360, bytes: 30 * 1024 };

const BODIES: readonly ImageSendTarget["body"][] = ["text", "image"];

/** An image body naming `media`, as the mini program sends it (the server fills in width and height from the record). */
export function imageBody(media: { id: string; width?: number; height?: number }): string {
  return JSON.stringify({ kind: "image", mediaId: media.id, width: media.width ?? 0, height: media.height ?? 0 });
}

/**
 * A third of the lower of `rates`, rounded down to 50/s, between 50/s and `maxRate`. A closed loop
 * batches many sends per event-loop turn and commit; sends spread out in time cost the server more
 * each (about twice the CPU per message in quick runs), so half the closed-loop rate can already saturate.
 */
export function openLoopRate(rates: readonly number[], maxRate: number): number {
  const lowest = Math.min(...rates.filter((r) => Number.isFinite(r) && r > 0));
  if (!Number.isFinite(lowest)) return 50;
  return Math.min(maxRate, Math.max(50, Math.floor(lowest / 3 / 50) * 50));
}

/**
 * Scenario 8: image messages (issue 16). Each of N users uploads one of a few
 * small JPEGs first (a body must name media its sender uploaded), then pairs
 * send image bodies naming them, and the same users send texts for comparison,
 * alternated: a closed loop (a fixed number awaiting their ack) for throughput,
 * an open loop at a third of the lower warm-up throughput for ack and push latency. One mpchat (SQLite)
 * server, one set of conversations: texts and images share the order checks.
 */
export async function runImageSends(ctx: ScenarioContext): Promise<ImagesResult> {
  const cfg = ctx.config.images;
  const rooms = pairRooms(cfg.users);
  const roomOf = (user: number) => Math.floor(user / 2);
  const jpegs = await Promise.all(
    Array.from({ length: cfg.jpegs }, () => syntheticJpeg(JPEG.width, JPEG.height, JPEG.bytes)),
  );
  const result: ImagesResult = {
    users: cfg.users,
    concurrency: cfg.concurrency,
    seconds: cfg.seconds,
    rate: 0,
    jpegs: { count: jpegs.length, width: JPEG.width, height: JPEG.height, bytes: jpegs.map((j) => j.length) },
    uploads: 0,
    targets: BODIES.map((body) => ({ body, closed: summarizeRuns([]), open: summarizeRuns([]), runs: [] })),
    integrity: null,
    error: null,
  };
  let system: RunningSystem | null = null;
  let fleet: Fleet | null = null;
  try {
    system = await startSystem("mpchat-sqlite", startContext(ctx, { env: { ...LIFTED_SEND_LIMITS }, name: "images" }));
    fleet = await openFleet(system, cfg.users, rooms);
    const client = fleet.client;
    if (!(client instanceof MpchatClient)) throw new Error("the image scenario needs the mpchat client");
    const started = Date.now();
    const httpUrl = system.server.httpUrl;
    const media = await mapLimit(
      Array.from({ length: cfg.users }, (_, user) => user),
      4,
      (user) =>
        uploadForMedia(httpUrl, client.tokenOf(user), {
          kind: "image",
          clientMediaId: `bench-image-${user}`,
          bytes: jpegs[user % jpegs.length] as Buffer,
          filename: "photo.jpg",
        }),
    );
    result.uploads = media.length;
    const imageBodies = media.map(imageBody);
    ctx.log(
      `  ${cfg.users} users uploaded ${jpegs.length} JPEGs of ${JPEG.width}×${JPEG.height} (${jpegs.map((j) => Math.round(j.length / 1024)).join(", ")} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    const bodyOf = (body: ImageSendTarget["body"]) =>
      body === "text" ? () => TEXT_BODY : (user: number) => imageBodies[user] as string;
    const closed = (seconds: number) =>
      runClosedLoop(fleet as Fleet, { concurrency: cfg.concurrency, seconds, drainTimeoutMs: 30_000, roomOf });
    const open = () =>
      runOpenLoop(fleet as Fleet, {
        rate: result.rate,
        seconds: cfg.seconds,
        drainTimeoutMs: 30_000,
        pick: (k) => ({ sender: k % cfg.users, room: roomOf(k % cfg.users) }),
      });
    // The warm-ups also size the open loop: a third of the lower throughput, so that both bodies are
    // measured at one rate the server sustains for either (openLoopRate says why not half).
    const warmupRates: number[] = [];
    for (const body of BODIES) {
      client.messageBody = bodyOf(body);
      warmupRates.push(sendRun("closed", await closed(cfg.warmupSeconds)).ackedPerSecond);
    }
    result.rate = openLoopRate(warmupRates, cfg.maxRate);
    ctx.log(
      `  warm-up: ${warmupRates.map((r) => Math.round(r)).join(" (texts), ")} (images) acked/s; open loop at ${result.rate}/s`,
    );
    for (let rep = 0; rep < ctx.config.repetitions; rep++) {
      for (const target of result.targets) {
        client.messageBody = bodyOf(target.body);
        const runs: SendRun[] = [sendRun("closed", await closed(cfg.seconds)), sendRun("open", await open())];
        target.runs.push(...runs);
        for (const run of runs) ctx.log(`  rep ${rep + 1} ${target.body}s, ${run.loop} loop: ${describeRun(run)}`);
      }
    }
    await fleet.traffic.waitForQuiet(30_000);
    result.integrity = fleet.traffic.integrity();
    for (const target of result.targets) {
      target.closed = summarizeRuns(target.runs.filter((r) => r.loop === "closed"));
      target.open = summarizeRuns(target.runs.filter((r) => r.loop === "open"));
    }
  } catch (error) {
    result.error = describeError(error);
    ctx.log(`  images failed: ${result.error}`);
  } finally {
    await fleet?.close();
    await system?.stop();
  }
  return result;
}
