import { randomBytes } from "node:crypto";
import { sleep } from "../client/clock";
import { devToken, NO_ANSWER, type UploadRequest, uploadMedia } from "../client/media-upload";
import { mapLimit } from "../client/sockets";
import { spreadOf } from "../measure/spread";
import { syntheticJpeg } from "../media/synthetic-jpeg";
import { PeakRss } from "../proc/peak-rss";
import type { UploadBurstRun, UploadResult, UploadThroughputRun } from "../results";
import { type RunningSystem, startSystem } from "../systems/systems";
import { describeError, type ScenarioContext, startContext } from "./context";

const MiB = 1024 * 1024;
/** A phone photo as WeChat sends it: 3 MP, about 1 MiB. */
const PHOTO = { width: 2048, height: 1536, bytes: MiB };
/** A camera original near the image limit (10 MiB): 12 MP, about 9.5 MiB. */
const LARGE_PHOTO = { width: 4000, height: 3000, bytes: 9.5 * MiB };
/** A file at the size of the largest image allowed. */
const LARGE_FILE_BYTES = 10 * MiB;

/** The server's IMAGE_SLOTS (apps/server/src/http/media-upload-route.ts): images decoded at once. */
const IMAGE_DECODE_SLOTS = 2;

let uploadCounter = 0;
const nextClientMediaId = (prefix: string) => `${prefix}${++uploadCounter}_${randomBytes(4).toString("hex")}`;

function burstOf(
  kind: "image" | "file",
  uploads: number,
  bytesEach: number,
  reference = false,
): UploadResult["bursts"][number] {
  return { kind, uploads, bytesEach, reference, growthBytes: spreadOf([]), runs: [], error: null };
}

/** Counts the answers that are not 201 Created, by status ("no answer": the connection failed first). */
function tally(statuses: readonly number[]): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const status of statuses) {
    if (status === 201) continue;
    const key = status === NO_ANSWER ? "no answer" : String(status);
    errors[key] = (errors[key] ?? 0) + 1;
  }
  return errors;
}

/**
 * Scenario 5: media uploads to mpchat (SQLite, local media store), the server
 * as in production (`POST /v1/media` streamed through sharp).
 * - Throughput: N uploads of one ~1 MiB JPEG, each with its own clientMediaId
 *   (so each is decoded, re-encoded and thumbnailed), `concurrency` in flight:
 *   MiB/s and server CPU-s per MiB, from /proc/<pid>/stat around the window.
 * - Memory: 20 uploads of ~10 MiB at once, files (random bytes) and images
 *   (12 MP JPEGs), and as many images as the server decodes at once (2, for
 *   comparison), each burst on a fresh server: peak RSS (the kernel's
 *   high-water mark, reset before the burst) minus RSS after GC before it. A
 *   server that held whole uploads in memory would grow by 20 × 10 MiB.
 */
export async function runUploads(ctx: ScenarioContext): Promise<UploadResult> {
  const cfg = ctx.config.upload;
  ctx.log(`  making the test JPEGs (${PHOTO.width}×${PHOTO.height}, ${LARGE_PHOTO.width}×${LARGE_PHOTO.height})`);
  const photo = await syntheticJpeg(PHOTO.width, PHOTO.height, PHOTO.bytes);
  const largePhoto = await syntheticJpeg(LARGE_PHOTO.width, LARGE_PHOTO.height, LARGE_PHOTO.bytes);
  const largeFile = randomBytes(LARGE_FILE_BYTES);
  ctx.log(`  JPEGs of ${mib(photo.length)} and ${mib(largePhoto.length)} MiB; file of ${mib(largeFile.length)} MiB`);

  const result: UploadResult = {
    throughput: {
      count: cfg.images,
      concurrency: cfg.concurrency,
      imageBytes: photo.length,
      imageWidth: PHOTO.width,
      imageHeight: PHOTO.height,
      mibPerSecond: spreadOf([]),
      serverCpuSecondsPerMib: spreadOf([]),
      runs: [],
      error: null,
    },
    bursts: [
      burstOf("file", cfg.burst, largeFile.length),
      // As many as the server decodes at once: what one decode slot costs, for comparison.
      burstOf("image", IMAGE_DECODE_SLOTS, largePhoto.length, true),
      burstOf("image", cfg.burst, largePhoto.length),
    ],
  };

  for (let rep = 0; rep < ctx.config.repetitions; rep++) {
    if (!result.throughput.error) {
      try {
        const run = await withServer(ctx, (system, token) =>
          measureThroughput(system, token, photo, cfg.images, cfg.concurrency),
        );
        result.throughput.runs.push(run);
        ctx.log(
          `  rep ${rep + 1} throughput: ${run.uploads} × ${mib(photo.length)} MiB JPEG, ${cfg.concurrency} at once: ${run.mibPerSecond.toFixed(1)} MiB/s, server ${run.serverCpuSecondsPerMib.toFixed(3)} CPU-s/MiB${errorText(run.errors)}`,
        );
      } catch (error) {
        result.throughput.error = describeError(error);
        ctx.log(`  throughput failed: ${result.throughput.error}`);
      }
    }
    for (const burst of result.bursts) {
      if (burst.error) continue;
      const request = (): UploadRequest =>
        burst.kind === "file"
          ? { kind: "file", clientMediaId: nextClientMediaId("f"), bytes: largeFile, filename: "big.bin" }
          : { kind: "image", clientMediaId: nextClientMediaId("i"), bytes: largePhoto, filename: "big.jpg" };
      try {
        const run = await withServer(ctx, (system, token) =>
          measureBurst(
            system,
            token,
            { kind: burst.kind, bytesEach: burst.bytesEach, uploads: burst.uploads },
            request,
          ),
        );
        burst.runs.push(run);
        ctx.log(
          `  rep ${rep + 1} memory: ${run.uploads} × ${mib(run.bytesEach)} MiB ${run.kind}s at once: RSS ${mib(run.baselineRssBytes)} → peak ${mib(run.peakRssBytes)} MiB (+${mib(run.peakRssBytes - run.baselineRssBytes)} MiB, ${run.peakSource}) in ${run.wallSeconds.toFixed(1)} s${errorText(run.errors)}`,
        );
      } catch (error) {
        burst.error = describeError(error);
        ctx.log(`  ${burst.kind} burst failed: ${burst.error}`);
      }
    }
  }
  result.throughput.mibPerSecond = spreadOf(result.throughput.runs.map((r) => r.mibPerSecond));
  result.throughput.serverCpuSecondsPerMib = spreadOf(result.throughput.runs.map((r) => r.serverCpuSecondsPerMib));
  for (const burst of result.bursts) {
    burst.growthBytes = spreadOf(burst.runs.map((r) => r.peakRssBytes - r.baselineRssBytes));
  }
  return result;
}

/** A fresh mpchat (SQLite) with one logged-in uploader, stopped afterwards. */
async function withServer<T>(
  ctx: ScenarioContext,
  task: (system: RunningSystem, token: string) => Promise<T>,
): Promise<T> {
  const system = await startSystem("mpchat-sqlite", startContext(ctx));
  try {
    return await task(system, await devToken(system.server.httpUrl, "uploader"));
  } finally {
    await system.stop();
  }
}

async function measureThroughput(
  system: RunningSystem,
  token: string,
  photo: Buffer,
  count: number,
  concurrency: number,
): Promise<UploadThroughputRun> {
  const send = () =>
    uploadMedia(system.server.httpUrl, token, {
      kind: "image",
      clientMediaId: nextClientMediaId("t"),
      bytes: photo,
      filename: "photo.jpg",
    });
  // Warm-up: sharp's first decode, the routes' code paths.
  await mapLimit(Array.from({ length: concurrency * 2 }), concurrency, send);
  const serverStart = system.server.sample().cpuSeconds;
  const generatorStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  const statuses = await mapLimit(Array.from({ length: count }), concurrency, send);
  const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const serverCpuSeconds = system.server.sample().cpuSeconds - serverStart;
  const generator = process.cpuUsage(generatorStart);
  const stored = statuses.filter((s) => s === 201).length;
  const bytes = stored * photo.length;
  return {
    uploads: count,
    bytes,
    wallSeconds,
    serverCpuSeconds,
    generatorCpuSeconds: (generator.user + generator.system) / 1e6,
    mibPerSecond: bytes / MiB / wallSeconds,
    serverCpuSecondsPerMib: stored > 0 ? serverCpuSeconds / (bytes / MiB) : Number.NaN,
    errors: tally(statuses),
  };
}

async function measureBurst(
  system: RunningSystem,
  token: string,
  burst: { kind: "image" | "file"; bytesEach: number; uploads: number },
  request: () => UploadRequest,
): Promise<UploadBurstRun> {
  const { httpUrl } = system.server;
  // Warm-up: one upload of the kind, so that its code paths (and sharp) are loaded before the baseline.
  await uploadMedia(httpUrl, token, request());
  await sleep(200);
  await system.server.memory();
  const baselineRssBytes = system.server.sample().rssBytes;
  const peak = new PeakRss(system.server.pid);
  const wallStart = process.hrtime.bigint();
  const statuses = await Promise.all(
    Array.from({ length: burst.uploads }, () => uploadMedia(httpUrl, token, request())),
  );
  const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const { peakBytes, source } = peak.stop();
  return {
    ...burst,
    baselineRssBytes,
    peakRssBytes: peakBytes,
    peakSource: source,
    wallSeconds,
    errors: tally(statuses),
  };
}

function mib(bytes: number): string {
  return (bytes / MiB).toFixed(1);
}

function errorText(errors: Record<string, number>): string {
  return Object.keys(errors).length > 0 ? `, errors ${JSON.stringify(errors)}` : "";
}
