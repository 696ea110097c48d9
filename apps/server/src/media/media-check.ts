import { fileTypeFromBuffer } from "file-type";
import { MediaError, type MediaKind } from "./media-error";
import { MEDIA_LIMITS } from "./media-limits";

/** The types each kind accepts, as stored (`audio/mp4` for every M4A flavour). */
export const ACCEPTED_MIME = {
  image: ["image/jpeg", "image/png", "image/gif", "image/webp"],
  voice: ["audio/aac", "audio/mp4", "audio/mpeg"],
} as const;

/** What is known of an upload so far; each check runs on what is there. */
export type MediaFacts = {
  /** The type read from the bytes (`sniffMime`), `undefined` when nothing was recognised. */
  mime?: string | undefined;
  size?: number;
  width?: number;
  height?: number;
  durationMs?: number;
};

export type MediaVerdict = { ok: true } | { ok: false; code: "too_large" | "bad_request"; message: string };

/** Bytes enough for `file-type` to tell every type it knows (its own sample size). */
export const SNIFF_BYTES = 4100;

/**
 * The type of some content from its first bytes (never a file name), or
 * `undefined`. M4A is reported as `audio/mp4` whatever brand the file has.
 */
export async function sniffMime(head: Uint8Array): Promise<string | undefined> {
  const type = await fileTypeFromBuffer(head);
  if (type === undefined) return undefined;
  if (type.mime === "audio/x-m4a" || type.mime === "video/mp4" || type.mime === "audio/m4a") return "audio/mp4";
  return type.mime;
}

/** Pure: whether `facts` fit `kind`, and if not, the protocol error and a message a developer can act on. */
export function checkMedia(kind: MediaKind, facts: MediaFacts): MediaVerdict {
  const limits = MEDIA_LIMITS[kind];
  if (facts.size !== undefined && facts.size > limits.maxBytes) {
    return refuse("too_large", `${kind === "image" ? "an" : "a"} ${kind} may be at most ${mib(limits.maxBytes)}`);
  }
  if (kind !== "file" && "mime" in facts) {
    const accepted: readonly string[] = ACCEPTED_MIME[kind];
    if (facts.mime === undefined || !accepted.includes(facts.mime)) {
      const seen = facts.mime === undefined ? "content of unknown type" : facts.mime;
      return refuse("bad_request", `a ${kind} must be ${accepted.join(", ")}; got ${seen}`);
    }
  }
  if (kind === "image") {
    const side = Math.max(facts.width ?? 0, facts.height ?? 0);
    if (side > MEDIA_LIMITS.image.maxSide) {
      return refuse("too_large", `an image may be at most ${MEDIA_LIMITS.image.maxSide} px a side; got ${side} px`);
    }
  }
  if (kind === "voice" && facts.durationMs !== undefined && facts.durationMs > MEDIA_LIMITS.voice.maxDurationMs) {
    return refuse(
      "too_large",
      `a voice message may be at most ${MEDIA_LIMITS.voice.maxDurationMs / 1000} s; got ${(facts.durationMs / 1000).toFixed(1)} s`,
    );
  }
  return { ok: true };
}

/** `checkMedia`, throwing the refusal as a `MediaError`. */
export function assertMedia(kind: MediaKind, facts: MediaFacts): void {
  const verdict = checkMedia(kind, facts);
  if (!verdict.ok) throw new MediaError(verdict.code, verdict.message);
}

function refuse(code: "too_large" | "bad_request", message: string): MediaVerdict {
  return { ok: false, code, message };
}

function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}
