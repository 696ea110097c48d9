import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import sharp, { type OutputInfo, type Sharp } from "sharp";
import { assertMedia } from "./media-check";
import { MediaError } from "./media-error";
import { MEDIA_LIMITS, STORED_IMAGE_MAX_SIDE, THUMB_MAX_SIDE } from "./media-limits";
import type { MediaStore } from "./media-store";

// Each upload is decoded once and never again: libvips' operation cache (50 MB by default)
// would only keep the last images' pixels alive. One libvips thread per image: the route's
// decode slots are what runs images side by side (sharp picks 1 already on glibc, unless
// MALLOC_ARENA_MAX is set, when it would pick one per core).
sharp.cache(false);
sharp.concurrency(1);

export type ImageMime = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

export type StoredImage = { mime: ImageMime; size: number; width: number; height: number };

/**
 * Re-encodes an uploaded image into `store` under `keys.original`, with a
 * thumbnail (≤ 360 px a side) under `keys.thumb`:
 * - the format stays (JPEG → JPEG, PNG → PNG, WebP → WebP, GIF → GIF), and an
 *   animated GIF or WebP stays animated, all frames resized alike;
 * - no metadata survives: sharp writes none unless asked (no EXIF, GPS, XMP,
 *   IPTC, comments), and colours are converted to sRGB with no ICC profile kept;
 * - turned upright by its EXIF orientation, then scaled down to fit
 *   `STORED_IMAGE_MAX_SIDE` (4096 px) a side, shape kept;
 * - more than 8192 px a side (after turning): `too_large`; content sharp cannot
 *   decode, truncated included: `bad_request`.
 * Memory: the input is spooled to a temporary file (≤ 10 MiB, the limit upstream,
 * removed afterwards) that libvips reads sequentially, and JPEGs are written
 * without Huffman-table optimisation, which would hold every DCT coefficient of
 * the image (≈ 100 MiB of RSS for a 12 MP photo, against ≈ 20 MiB without, for
 * ~4% more bytes). The outputs stream into the store. On failure the caller deletes both keys.
 */
export async function storeImage(
  store: MediaStore,
  input: Readable,
  mime: ImageMime,
  keys: { original: string; thumb: string },
): Promise<{ image: StoredImage; thumb: StoredImage }> {
  const animated = mime === "image/gif" || mime === "image/webp";
  // The upload goes to a temporary file that libvips reads itself: fed from a stream,
  // sharp would gather the chunks and a copy of them in the JS heap (≈ 2 × 10 MiB an
  // upload, freed only at the next GC), and every decode would need them again.
  const spool = join(tmpdir(), `mpchat-upload-${randomBytes(9).toString("base64url")}`);
  try {
    await pipeline(input, createWriteStream(spool, { flags: "wx", mode: 0o600 }));
    const decoder = () =>
      sharp(spool, {
        animated,
        failOn: "warning",
        limitInputPixels: MEDIA_LIMITS.image.maxSide * MEDIA_LIMITS.image.maxSide,
      });
    let width: number;
    let height: number;
    try {
      const meta = await decoder().metadata();
      // `autoOrient` has the dimensions once turned upright; an animation's height is one frame's.
      width = meta.autoOrient?.width ?? meta.width;
      height = animated ? (meta.pageHeight ?? meta.height) : (meta.autoOrient?.height ?? meta.height);
    } catch (err) {
      throw asDecodeError(err);
    }
    assertMedia("image", { width, height });
    const image = await encodeInto(store, keys.original, decoder(), mime, animated, STORED_IMAGE_MAX_SIDE);
    // A second decode, but a cheap one: a JPEG shrinks on load (libjpeg's 1/2, 1/4, 1/8 scales).
    const thumb = await encodeInto(store, keys.thumb, decoder(), mime, animated, THUMB_MAX_SIDE);
    return { image, thumb };
  } finally {
    await rm(spool, { force: true });
  }
}

async function encodeInto(
  store: MediaStore,
  key: string,
  pipelineFromInput: Sharp,
  mime: ImageMime,
  animated: boolean,
  maxSide: number,
): Promise<StoredImage> {
  let encoder = animated ? pipelineFromInput : pipelineFromInput.autoOrient();
  encoder = encoder.resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true });
  encoder = encodeAs(encoder, mime);
  let info: OutputInfo | undefined;
  let decodeFailure: unknown;
  encoder.on("info", (i: OutputInfo) => {
    info = i;
  });
  encoder.on("error", (err) => {
    decodeFailure = err;
  });
  let size: number;
  try {
    ({ size } = await store.put(key, encoder, { contentType: mime }));
  } catch (err) {
    // The encoder's own failure is the content's fault; any other is the store's.
    throw decodeFailure === undefined ? err : asDecodeError(decodeFailure);
  }
  if (info === undefined) throw new Error("sharp reported no output info");
  return { mime, size, width: info.width, height: animated ? (info.pageHeight ?? info.height) : info.height };
}

function encodeAs(image: Sharp, mime: ImageMime): Sharp {
  switch (mime) {
    case "image/jpeg":
      return image.jpeg({ quality: 85, optimiseCoding: false });
    case "image/png":
      return image.png();
    case "image/webp":
      return image.webp({ quality: 85 });
    case "image/gif":
      return image.gif();
  }
}

function asDecodeError(err: unknown): unknown {
  if (err instanceof MediaError) return err;
  // Errors of the upstream (the byte limit, a cut connection) pass through
  // unchanged; sharp's own errors are plain Errors raised by libvips.
  if (err instanceof Error && err.constructor === Error && !("code" in err)) {
    if (err.message.includes("pixel limit")) {
      const side = MEDIA_LIMITS.image.maxSide;
      return new MediaError("too_large", `an image may have at most ${side} × ${side} pixels, all frames together`);
    }
    return new MediaError("bad_request", `the image is truncated or not decodable (${firstLine(err.message)})`);
  }
  return err;
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "").slice(0, 120);
}
