import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_UPLOAD_BYTES } from "../../src/media/media-limits";
import { fixture, MiB, noisyJpeg, photo, startApp, storedFiles, upload } from "./upload-app";

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
