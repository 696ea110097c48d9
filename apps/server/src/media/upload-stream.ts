import { Readable, Transform, type TransformCallback } from "node:stream";
import { MediaError, type MediaKind } from "./media-error";

/**
 * The upload's bytes, failing with `too_large` as soon as they pass `maxBytes`,
 * or at the end when the multipart parser says it cut the file at its own limit
 * (`truncated`: busboy ends a cut file stream normally, which is how a 12 MB
 * upload once became a 201). The source is piped, not owned: on failure it is
 * left paused for the caller to drain.
 */
export function limitBytes(source: Readable, kind: MediaKind, maxBytes: number, truncated: () => boolean): Readable {
  let seen = 0;
  const tooLarge = () =>
    new MediaError(
      "too_large",
      `${kind === "image" ? "an" : "a"} ${kind} may be at most ${maxBytes / (1024 * 1024)} MiB`,
    );
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLarge());
      else callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      callback(truncated() ? tooLarge() : null);
    },
  });
  source.on("error", (err: Error & { code?: string }) => {
    // @fastify/multipart's own limit error, when it is asked to throw one.
    limiter.destroy(err.code === "FST_REQ_FILE_TOO_LARGE" ? tooLarge() : err);
  });
  source.pipe(limiter);
  return limiter;
}

/**
 * The first `bytes` bytes of a stream (fewer if it is shorter), and a stream of
 * all of it, those bytes included, for whatever consumes it next.
 */
export async function peek(source: Readable, bytes: number): Promise<{ head: Buffer; body: Readable }> {
  const iterator: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(chunks);
  const body = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  return { head: head.subarray(0, bytes), body };
}

/** All of a stream, for content that must be held whole and is small (voice, ≤ 2 MiB). */
export async function collect(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
