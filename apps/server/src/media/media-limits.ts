import type { MediaKind } from "./media-error";

const MiB = 1024 * 1024;

/** The limits of PROTOCOL.md (Media): bytes as uploaded, pixels a side, voice length. */
export const MEDIA_LIMITS = {
  image: { maxBytes: 10 * MiB, maxSide: 8192 },
  voice: { maxBytes: 2 * MiB, maxDurationMs: 60_000 },
  file: { maxBytes: 20 * MiB },
} as const;

export function maxBytesOf(kind: MediaKind): number {
  return MEDIA_LIMITS[kind].maxBytes;
}

/** The largest of the three: what the multipart parser's own `fileSize` limit should be (plus one byte). */
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((l) => l.maxBytes));

/**
 * Stored images are scaled down to fit 4096 px a side (shape kept): enough for
 * a phone's full-screen preview at 3× and far below the 8192 px accepted, so a
 * huge photo does not cost every reader its bytes.
 */
export const STORED_IMAGE_MAX_SIDE = 4096;
export const THUMB_MAX_SIDE = 360;
