import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaIdOf } from "../src/media/media-view";
import {
  cid,
  download,
  fixture,
  type MediaUser,
  photo,
  startMediaServer,
  storedFiles,
  upload,
} from "./support/media-uploads";
import type { TestServer } from "./support/server";

describe("POST /v1/media and GET /v1/media/:id (one server, SQLite, local media store)", () => {
  let server: TestServer;
  let alice: MediaUser;
  let stranger: MediaUser;
  const clock = Date.now();

  beforeAll(async () => {
    ({ server, alice, stranger } = await startMediaServer(() => clock));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("stores a photo upright without EXIF/GPS, serves it with its headers, and a thumbnail ≤ 360 px", async () => {
    const { status, body } = await upload(
      server,
      alice.token,
      { kind: "image", clientMediaId: cid() },
      await photo(1200, 600),
      "x.png",
    );
    expect(status).toBe(201);
    expect(body.media).toMatchObject({ kind: "image", mime: "image/jpeg", width: 600, height: 1200 });
    expect(Object.keys(body.media).sort()).toEqual(["height", "id", "kind", "mime", "size", "width"]);

    const response = await download(server, `/v1/media/${body.media.id}`, alice.mediaToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(response.headers.get("content-length")).toBe(String(body.media.size));
    expect(response.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(body.media.size);
    const meta = await sharp(bytes).metadata();
    expect([meta.width, meta.height, meta.exif, meta.orientation]).toEqual([600, 1200, undefined, undefined]);
    expect(bytes.includes("PhoneMaker")).toBe(false);

    const thumb = await download(server, `/v1/media/${body.media.id}/thumb`, alice.mediaToken);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(thumbMeta.width ?? 0, thumbMeta.height ?? 0)).toBeLessThanOrEqual(360);
    expect(thumbMeta.exif).toBeUndefined();
  });

  it("stores voice with its duration and files with a cleaned name; a voice or file has no thumbnail", async () => {
    const voice = await upload(
      server,
      alice.token,
      { kind: "voice", clientMediaId: cid(), durationMs: "2000" },
      await fixture("voice-2s.aac"),
    );
    expect(voice.status).toBe(201);
    expect(voice.body.media).toMatchObject({ kind: "voice", mime: "audio/aac" });
    expect(voice.body.media.durationMs).toBeGreaterThanOrEqual(2000);
    const pdf = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(3000)]);
    const names: [string, string][] = [
      ["../Report\u202eQ3.pdf", "ReportQ3.pdf"],
      ["a\u0085b\u2066c.pdf", "abc.pdf"],
      ["C:\\tmp\\notes\u0007.pdf", "notes.pdf"],
    ];
    for (const [filename, name] of names) {
      const file = await upload(server, alice.token, { kind: "file", clientMediaId: cid() }, pdf, filename);
      expect(file.status, filename).toBe(201);
      expect(file.body.media, filename).toMatchObject({
        kind: "file",
        mime: "application/pdf",
        size: pdf.length,
        name,
      });
      const back = await download(server, `/v1/media/${file.body.media.id}`, alice.mediaToken);
      expect(Buffer.from(await back.arrayBuffer()).equals(pdf)).toBe(true);
    }
    for (const id of [voice.body.media.id]) {
      expect((await download(server, `/v1/media/${id}/thumb`, alice.mediaToken)).status).toBe(404);
    }
  });

  it("answers a repeat of the same clientMediaId with 200 and the same media, storing nothing more", async () => {
    const clientMediaId = cid();
    const first = await upload(server, alice.token, { kind: "image", clientMediaId }, await photo(40, 30));
    expect(first.status).toBe(201);
    const files = await storedFiles(server);
    const again = await upload(server, alice.token, { kind: "image", clientMediaId }, await photo(80, 60));
    expect(again).toEqual({ status: 200, body: { media: first.body.media } });
    // Concurrent repeats too: one media, the losers' objects deleted.
    const racing = await Promise.all(
      [1, 2, 3].map(() => upload(server, alice.token, { kind: "file", clientMediaId: "race" }, randomBytes(100_000))),
    );
    expect(new Set(racing.map((r) => r.body.media.id)).size).toBe(1);
    expect(racing.filter((r) => r.status === 201).length).toBe(1);
    expect((await storedFiles(server)).length).toBe(files.length + 1);
    // Another user's same clientMediaId is another media.
    const strangers = await upload(server, stranger.token, { kind: "image", clientMediaId }, await photo(40, 30));
    expect(strangers.status).toBe(201);
    expect(strangers.body.media.id).not.toBe(first.body.media.id);
  });

  it("stores media whose id starts with - or _ (ids are base64url; store keys must start with a letter or digit)", async () => {
    for (const first of ["-", "_"]) {
      let n = 0;
      while (!mediaIdOf("alice", `edge${first}${n}`).startsWith(first)) n++;
      const { status, body } = await upload(
        server,
        alice.token,
        { kind: "file", clientMediaId: `edge${first}${n}` },
        randomBytes(10),
      );
      expect(status, first).toBe(201);
      expect(body.media.id.startsWith(first), first).toBe(true);
      expect((await download(server, `/v1/media/${body.media.id}`, alice.mediaToken)).status, first).toBe(200);
    }
  });
});
