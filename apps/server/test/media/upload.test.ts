import { randomBytes } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { readdir, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { promisify } from "node:util";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyInstance } from "fastify";
import pLimit from "p-limit";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LocalMediaStore } from "../../src/media/local-media-store";
import { MediaError, type MediaKind } from "../../src/media/media-error";
import { MAX_UPLOAD_BYTES } from "../../src/media/media-limits";
import { storeUpload } from "../../src/media/upload";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name));
const MiB = 1024 * 1024;

/**
 * A throwaway route shaped like the future `POST /v1/media` (fields before the
 * file part, as `wx.uploadFile` sends them), on a real Fastify with
 * @fastify/multipart, listening on 127.0.0.1.
 */
async function startApp(root: string, multipartFileSize: number) {
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

async function upload(url: string, kind: string, bytes: Uint8Array, filename = "upload.bin") {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", new Blob([bytes]), filename);
  const response = await fetch(url, { method: "POST", body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every stored object's path under the root (temp files left in `.tmp` included). */
async function storedFiles(root: string): Promise<string[]> {
  const entries = await promisify(readdir)(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
}

async function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: "PhoneMaker" }, IFD3: { GPSLatitudeRef: "N" } } })
    .toBuffer();
}

/** A JPEG of about `bytes` bytes: noise does not compress. */
async function noisyJpeg(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 1.3));
  const raw = randomBytes(side * side * 3);
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
}

describe("storeUpload behind a real multipart route", () => {
  let root: string;
  let server: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "mpchat-upload-"));
    server = await startApp(root, MAX_UPLOAD_BYTES + 1);
  });
  afterAll(async () => {
    await server?.app.close();
    await rm(root, { recursive: true, force: true });
  });

  it("stores a photo upright, without EXIF, with a thumbnail; the type from the bytes, not the name", async () => {
    const { status, body } = await upload(server.url, "image", await photo(1200, 600), "holiday.png");
    expect(status).toBe(201);
    expect(body.media).toMatchObject({ kind: "image", mime: "image/jpeg", width: 600, height: 1200 });
    const media = body.media as { keys: { original: string; thumb: string }; size: number };
    const stored = await server.store.stat(media.keys.original);
    expect(stored).toEqual({ size: media.size, contentType: "image/jpeg" });
    const thumb = await server.store.get(media.keys.thumb);
    const thumbMeta = await sharp(Buffer.concat(await thumb!.toArray())).metadata();
    expect([thumbMeta.width, thumbMeta.height]).toEqual([180, 360]);
    expect(thumbMeta.exif).toBeUndefined();
  });

  it("stores voice of each format with its duration read from the content", async () => {
    // An ID3v2 tag of 20 kB (cover art, say) before the frames: the duration skips it.
    const size = 20_000;
    const id3 = Buffer.concat([
      Buffer.from([
        0x49,
        0x44,
        0x33,
        4,
        0,
        0,
        (size >> 21) & 0x7f,
        (size >> 14) & 0x7f,
        (size >> 7) & 0x7f,
        size & 0x7f,
      ]),
      Buffer.alloc(size),
    ]);
    const voices: Record<string, Buffer> = { "tagged.mp3": Buffer.concat([id3, fixture("voice-2s-plain.mp3")]) };
    for (const [name, mime] of [
      ["voice-2s.aac", "audio/aac"],
      ["voice-2s.m4a", "audio/mp4"],
      ["voice-2s.mp3", "audio/mpeg"],
      ["tagged.mp3", "audio/mpeg"],
    ] as const) {
      const bytes = voices[name] ?? fixture(name);
      const { status, body } = await upload(server.url, "voice", bytes, "rec.silk");
      expect(status, name).toBe(201);
      expect(body.media, name).toMatchObject({ kind: "voice", mime, size: bytes.length });
      const ms = (body.media as { durationMs: number }).durationMs;
      expect(ms, name).toBeGreaterThanOrEqual(2000);
      expect(ms, name).toBeLessThan(2300);
    }
  });

  it("stores any file as uploaded, with its cleaned name and the type its bytes show", async () => {
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(3000)]);
    const cases: [Buffer, string, string, string][] = [
      [pdf, "../../etc/Report Q3.pdf", "application/pdf", "Report Q3.pdf"],
      [randomBytes(5000), "C:\\Users\\me\\notes.txt", "application/octet-stream", "notes.txt"],
      [Buffer.alloc(0), "empty.dat", "application/octet-stream", "empty.dat"],
    ];
    for (const [bytes, filename, mime, name] of cases) {
      const { status, body } = await upload(server.url, "file", bytes, filename);
      expect(status, filename).toBe(201);
      expect(body.media, filename).toMatchObject({ kind: "file", mime, size: bytes.length, name });
      const stream = await server.store.get((body.media as { keys: { original: string } }).keys.original);
      expect(Buffer.concat(await stream!.toArray()).equals(bytes), filename).toBe(true);
    }
  });

  it("answers too_large past each kind's limit, stores nothing, and goes on serving", async () => {
    const before = await storedFiles(root);
    const aac = fixture("voice-2s.aac");
    const cases: [string, Uint8Array, string][] = [
      ["12 MiB image", await noisyJpeg(12 * MiB), "image"],
      ["2 MiB + 1 voice", Buffer.concat([aac, randomBytes(2 * MiB + 1 - aac.length)]), "voice"],
      ["62 s voice", Buffer.concat(Array.from({ length: 31 }, () => aac)), "voice"],
      [
        "9000 px image",
        await sharp({ create: { width: 9000, height: 8, channels: 3, background: "red" } })
          .png()
          .toBuffer(),
        "image",
      ],
    ];
    expect(cases[0]![1].length).toBeGreaterThan(12 * MiB);
    for (const [label, bytes, kind] of cases) {
      const { status, body } = await upload(server.url, kind, bytes);
      expect(status, label).toBe(413);
      expect(body.error, label).toBe("too_large");
    }
    expect(await storedFiles(root)).toEqual(before);
    expect((await upload(server.url, "voice", aac)).status).toBe(201);
  });

  it("answers bad_request for disguised and truncated content, and stores nothing", async () => {
    const before = await storedFiles(root);
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "red" } })
      .png()
      .toBuffer();
    const jpeg = await photo(300, 200);
    const m4a = fixture("voice-2s.m4a");
    const cases: [string, Uint8Array, string, string][] = [
      ["a PNG as voice", png, "voice", "voice.mp3"],
      ["text as an image", Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), "image", "a.jpg"],
      ["a PDF as an image", Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), "image", "a.png"],
      ["an MP3 as an image", fixture("voice-2s.mp3"), "image", "a.gif"],
      ["a JPEG cut in half", jpeg.subarray(0, jpeg.length >> 1), "image", "a.jpg"],
      ["an M4A cut in half", m4a.subarray(0, m4a.length >> 1), "voice", "a.m4a"],
      ["nothing as voice", Buffer.alloc(0), "voice", "a.aac"],
    ];
    for (const [label, bytes, kind, filename] of cases) {
      const { status, body } = await upload(server.url, kind, bytes, filename);
      expect(status, label).toBe(400);
      expect(body.error, label).toBe("bad_request");
    }
    expect(await storedFiles(root)).toEqual(before);
  });
});

describe("storeUpload with image slots", () => {
  it("decodes no more images at once than it has slots; the others wait before reading on", async () => {
    const root = await mkdtemp(join(tmpdir(), "mpchat-upload-"));
    const store = await LocalMediaStore.open(root);
    const slots = pLimit(1);
    try {
      const big = await noisyJpeg(200_000);
      const first = new PassThrough();
      first.write(big.subarray(0, 10_000)); // enough to sniff; the rest comes later
      const one = storeUpload(
        store,
        { kind: "image", file: first, keys: { original: "a", thumb: "a.t" } },
        { imageSlots: slots },
      );
      await vi.waitFor(() => expect(slots.activeCount).toBe(1));
      const two = storeUpload(
        store,
        { kind: "image", file: Readable.from([await photo(100, 50)]), keys: { original: "b", thumb: "b.t" } },
        { imageSlots: slots },
      );
      await vi.waitFor(() => expect(slots.pendingCount).toBe(1));
      expect(await store.exists("b")).toBe(false);
      first.end(big.subarray(10_000));
      expect((await one).width).toBeGreaterThan(0);
      expect(await two).toMatchObject({ width: 50, height: 100 });
      expect([slots.activeCount, slots.pendingCount]).toEqual([0, 0]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

/** One multipart upload written by hand, so the test decides when each byte is sent. */
function multipartParts(kind: string, filename: string) {
  const boundary = "----mpchat-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { head, tail, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function write(req: ReturnType<typeof httpRequest>, bytes: Buffer): Promise<void> {
  for (let i = 0; i < bytes.length; i += 256 * 1024) {
    if (!req.write(bytes.subarray(i, i + 256 * 1024))) await once(req, "drain");
  }
}

describe("storeUpload answers 413 while the client is still sending", () => {
  it("answers before the body ends, reads the rest without a reset, and serves the next request", async () => {
    const root = await mkdtemp(join(tmpdir(), "mpchat-upload-"));
    const server = await startApp(root, MAX_UPLOAD_BYTES + 1);
    // (Node's client drops a socket whose response came before its request ended, so reuse is not asserted.)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const jpeg = await photo(64, 64);
      const file = Buffer.concat([jpeg.subarray(0, 1000), randomBytes(12 * MiB)]);
      const { head, tail, contentType } = multipartParts("image", "big.jpg");
      const url = new URL(server.url);
      const req = httpRequest({
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: { "content-type": contentType, "content-length": head.length + file.length + tail.length },
      });
      const failed = once(req, "error");
      const bodyReadToEnd = once(server.events, "request-end");
      const responded = once(req, "response") as Promise<[IncomingMessage]>;
      await write(req, head);
      await write(req, file.subarray(0, 11 * MiB));
      // Not ended: 1 MiB and the closing boundary are still to come.
      const [response] = await responded;
      expect(response.statusCode).toBe(413);
      expect(req.writableEnded).toBe(false);
      const answer = response.toArray();
      // Node's client no longer emits 'drain' once its response has come, so the rest goes in one write.
      req.end(Buffer.concat([file.subarray(11 * MiB), tail]));
      await once(req, "finish");
      // The server read and discarded the rest to the end: no reset, no error on the client's side.
      const [bytes] = (await bodyReadToEnd) as [number];
      expect(bytes).toBeGreaterThanOrEqual(head.length + file.length + tail.length);
      expect(await Promise.race([failed, Promise.resolve("no error")])).toBe("no error");
      const body = JSON.parse(Buffer.concat(await answer).toString()) as { error: string };
      expect(body.error).toBe("too_large");

      const second = await new Promise<{ status: number | undefined }>((resolve, reject) => {
        const { head: h2, tail: t2, contentType: c2 } = multipartParts("voice", "a.aac");
        const aac = fixture("voice-2s.aac");
        const r2 = httpRequest(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: { "content-type": c2, "content-length": h2.length + aac.length + t2.length },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode }));
          },
        );
        r2.on("error", reject);
        r2.end(Buffer.concat([h2, aac, t2]));
      });
      expect(second.status).toBe(201);
      expect((await storedFiles(root)).length).toBe(1);
    } finally {
      agent.destroy();
      await server.app.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("storeUpload when multipart cuts the file at its own limit", () => {
  it("answers too_large, not a 201 for the first MiB", async () => {
    const root = await mkdtemp(join(tmpdir(), "mpchat-upload-"));
    // The parser's limit below the kind's: busboy ends the cut stream normally, marked truncated.
    const server = await startApp(root, 1 * MiB);
    try {
      const { status, body } = await upload(server.url, "file", randomBytes(2 * MiB));
      expect(status).toBe(413);
      expect(body.error).toBe("too_large");
      expect(await storedFiles(root)).toEqual([]);
    } finally {
      await server.app.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
