import { EventEmitter, once } from "node:events";
import { readdir, readFileSync } from "node:fs";
import type { request as httpRequest } from "node:http";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyInstance } from "fastify";
import { LocalMediaStore } from "../../src/media/local-media-store";
import { MediaError, type MediaKind } from "../../src/media/media-error";
import { storeUpload } from "../../src/media/upload";

export { noisyJpeg, photo } from "./test-images";

// A real multipart route around storeUpload, and the uploads the upload tests send it.

export const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name));
export const MiB = 1024 * 1024;

/**
 * A throwaway route shaped like the future `POST /v1/media` (fields before the
 * file part, as `wx.uploadFile` sends them), on a real Fastify with
 * @fastify/multipart, listening on 127.0.0.1.
 */
export async function startApp(root: string, multipartFileSize: number) {
  const store = await LocalMediaStore.open(root);
  const app: FastifyInstance = Fastify();
  // Tells when the server has read a request body to its end, and how many bytes its socket read by then.
  const events = new EventEmitter();
  app.addHook("onRequest", async (request) => {
    request.raw.once("end", () => events.emit("request-end", request.raw.socket.bytesRead));
  });
  await app.register(multipart, { limits: { fileSize: multipartFileSize, files: 1, fields: 10 } });
  let n = 0;
  app.post("/v1/media", async (request, reply) => {
    const part = await request.file();
    if (part === undefined) return reply.code(400).send({ error: "bad_request", message: "no file part" });
    const field = part.fields.kind;
    const kind = field !== undefined && !Array.isArray(field) && field.type === "field" ? String(field.value) : "";
    if (kind !== "image" && kind !== "voice" && kind !== "file") {
      part.file.resume();
      return reply.code(400).send({ error: "bad_request", message: "kind" });
    }
    n += 1;
    try {
      const media = await storeUpload(store, {
        kind: kind as MediaKind,
        file: part.file,
        truncated: () => part.file.truncated,
        filename: part.filename,
        keys: { original: `m${n}`, thumb: `m${n}.thumb` },
      });
      return reply.code(201).send({ media });
    } catch (err) {
      if (err instanceof MediaError) {
        return reply.code(err.code === "too_large" ? 413 : 400).send({ error: err.code, message: err.message });
      }
      throw err;
    }
  });
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, store, events, url: `${address}/v1/media` };
}

export async function upload(url: string, kind: string, bytes: Uint8Array, filename = "upload.bin") {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new Blob([bytes]), filename);
  const response = await fetch(url, { method: "POST", body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every stored object's path under the root (temp files left in `.tmp` included). */
export async function storedFiles(root: string): Promise<string[]> {
  const entries = await promisify(readdir)(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

/** One multipart upload written by hand, so the test decides when each byte is sent. */
export function multipartParts(kind: string, filename: string) {
  const boundary = "----mpchat-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { head, tail, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function write(req: ReturnType<typeof httpRequest>, bytes: Buffer): Promise<void> {
  for (let i = 0; i < bytes.length; i += 256 * 1024) {
    if (!req.write(bytes.subarray(i, i + 256 * 1024))) await once(req, "drain");
  }
}
