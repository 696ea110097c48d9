import { Readable } from "node:stream";
import { isControlOrBidi, toWellFormed } from "@mpchat/protocol";
import type { LimitFunction } from "p-limit";
import { type ImageMime, storeImage } from "./image";
import { assertMedia, SNIFF_BYTES, sniffMime } from "./media-check";
import { MediaError, type MediaKind } from "./media-error";
import { maxBytesOf } from "./media-limits";
import type { MediaStore } from "./media-store";
import { collect, limitBytes, peek } from "./upload-stream";
import { voiceDurationMs } from "./voice";

export type UploadInput = {
  kind: MediaKind;
  /** The file part's bytes: `part.file` of `@fastify/multipart`, or any Readable. */
  file: Readable;
  /** Whether the multipart parser cut the file at its own limit: `() => part.file.truncated`. */
  truncated?: () => boolean;
  /** The part's file name, kept (cleaned) as `Media.name` of a `file`; never used to tell the type. */
  filename?: string;
  /** Where to store: the server picks them, e.g. `<mediaId>` and `<mediaId>.thumb`. */
  keys: { original: string; thumb: string };
};

export type UploadOptions = {
  /**
   * How many images may be decoded at once (a `p-limit` shared by all uploads):
   * each decode spools its input to a temporary file and holds libvips' buffers
   * (≈ 40 MiB of peak RSS for a 12 MP photo, see storeImage), so the route caps them; an upload waiting for a slot reads
   * nothing more past its first bytes, and TCP holds its client back meanwhile.
   */
  imageSlots?: LimitFunction;
};

/** The fields of the `Media` record (less its id), and what the store holds under which key. */
export type UploadedMedia = {
  kind: MediaKind;
  mime: string;
  size: number;
  width?: number;
  height?: number;
  durationMs?: number;
  name?: string;
  keys: { original: string; thumb?: string };
  thumb?: { mime: string; size: number; width: number; height: number };
};

/**
 * What `POST /v1/media` does with the file part: limit the bytes while they
 * stream (`too_large` at the kind's limit, without waiting for the rest), read
 * the type from the first bytes, re-encode images through sharp, read a voice's
 * duration (each of the three voice formats gives one, or is refused, so the
 * form's `durationMs` field is not needed), and store. On any failure nothing is left under either key, the
 * error is a `MediaError` (too_large / bad_request) unless the store itself
 * failed, and the rest of the file part is read and discarded, so the route can
 * answer while the client is still sending, on a connection that stays usable.
 */
export async function storeUpload(
  store: MediaStore,
  input: UploadInput,
  options: UploadOptions = {},
): Promise<UploadedMedia> {
  const { kind, keys } = input;
  const limited = limitBytes(input.file, kind, maxBytesOf(kind), input.truncated ?? (() => false));
  try {
    if (kind === "voice") return await storeVoice(store, limited, keys.original);
    const { head, body } = await peek(limited, SNIFF_BYTES);
    const mime = await sniffMime(head);
    if (kind === "image") {
      assertMedia(kind, { mime });
      const decode = () => storeImage(store, body, mime as ImageMime, keys);
      const { image, thumb } = await (options.imageSlots === undefined ? decode() : options.imageSlots(decode));
      return { kind, mime: image.mime, size: image.size, width: image.width, height: image.height, keys, thumb };
    }
    const contentType = mime ?? "application/octet-stream";
    const { size } = await store.put(keys.original, body, { contentType });
    const name = cleanFileName(input.filename);
    return {
      kind,
      mime: contentType,
      size,
      ...(name === undefined ? {} : { name }),
      keys: { original: keys.original },
    };
  } catch (err) {
    limited.destroy();
    input.file.unpipe();
    input.file.resume(); // read and discard the rest of the part
    // A failing delete must not hide why the upload failed.
    await Promise.allSettled([store.delete(keys.original), store.delete(keys.thumb)]);
    throw err;
  }
}

/**
 * Voice is small (≤ 2 MiB) and its length can only be told from all of it, so
 * it is held whole (and sniffed whole: nothing is gained by sniffing less).
 */
async function storeVoice(store: MediaStore, limited: Readable, key: string): Promise<UploadedMedia> {
  const bytes = await collect(limited);
  const mime = await sniffMime(bytes);
  assertMedia("voice", { mime });
  const durationMs = await voiceDurationMs(bytes, mime!);
  assertMedia("voice", { durationMs });
  const { size } = await store.put(key, Readable.from([bytes]), { contentType: mime! });
  return { kind: "voice", mime: mime!, size, durationMs, keys: { original: key } };
}

/**
 * A file name fit to show and to hand to `wx.openDocument`: the last path
 * segment, no control or bidi characters, well-formed, at most 255 code points; none if empty.
 */
export function cleanFileName(filename: string | undefined): string | undefined {
  if (filename === undefined) return undefined;
  const last = toWellFormed(filename.split(/[/\\]/).pop() ?? "");
  // C0/C1 and bidi controls could hide or reorder what others read (PROTOCOL.md: file names refuse them).
  const shown = [...last].filter((char) => !isControlOrBidi(char.charCodeAt(0))).join("");
  const cleaned = [...shown.trim()].slice(0, 255).join("");
  return cleaned === "" || cleaned === "." || cleaned === ".." ? undefined : cleaned;
}

export { MediaError };
