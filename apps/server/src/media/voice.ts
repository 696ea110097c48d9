import { parseBuffer } from "music-metadata";
import { adtsDurationMs, mp3DurationMs } from "./audio-frames";
import { MediaError } from "./media-error";

/**
 * The length of a voice message read from its content (≤ 2 MiB, so it may be
 * held whole): ADTS and MP3 from their frame headers, M4A from its `mvhd` box
 * through `music-metadata`, which also refuses boxes that run past the end.
 * Truncated or undecodable content is a `bad_request`.
 */
export async function voiceDurationMs(bytes: Uint8Array, mime: string): Promise<number> {
  if (mime === "audio/aac") return orRefuse(adtsDurationMs(bytes), "ADTS AAC");
  if (mime === "audio/mpeg") return orRefuse(mp3DurationMs(bytes), "MP3");
  if (mime === "audio/mp4") {
    let duration: number | undefined;
    let hasVideo = false;
    try {
      const { format } = await parseBuffer(bytes, { mimeType: "audio/mp4", size: bytes.length }, { duration: true });
      duration = format.duration;
      hasVideo = format.hasVideo === true;
    } catch {
      throw new MediaError("bad_request", "the M4A voice is truncated or not decodable");
    }
    if (hasVideo) throw new MediaError("bad_request", "a voice message must be audio only; this MP4 has video");
    if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
      throw new MediaError("bad_request", "the M4A voice has no duration");
    }
    return Math.round(duration * 1000);
  }
  throw new MediaError("bad_request", `not a voice type: ${mime}`);
}

function orRefuse(durationMs: number | null, format: string): number {
  if (durationMs === null) throw new MediaError("bad_request", `the ${format} voice is truncated or not decodable`);
  return durationMs;
}
