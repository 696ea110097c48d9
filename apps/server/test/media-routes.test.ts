import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuthResponse, Media, ReadyFrame } from "@mpchat/protocol";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mediaIdOf } from "../src/media/media-view";
import { api, devLogin, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

const MiB = 1024 * 1024;
const fixture = (name: string) => readFile(join(import.meta.dirname, "media", "fixtures", name));
let counter = 0;
const cid = () => `c${++counter}_${Math.random().toString(36).slice(2, 8)}`;

type Fields = Record<string, string>;

/** A multipart upload as wx.uploadFile sends it: the text fields, then the file part. */
async function upload(server: TestServer, token: string, fields: Fields, bytes: Uint8Array, filename = "up.bin") {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([bytes]), filename);
  const response = await fetch(`${server.httpUrl}/v1/media`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as { media: Media; error?: { code: string } } };
}

function download(server: TestServer, path: string, t: string | undefined, headers: Record<string, string> = {}) {
  const query = t === undefined ? "" : `?t=${encodeURIComponent(t)}`;
  return fetch(`${server.httpUrl}${path}${query}`, { headers });
}

/** Every file the local media store holds (temp files included). */
async function storedFiles(server: TestServer): Promise<string[]> {
  const root = join(server.dataDir, "media");
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A photo taken sideways, with the camera's make and a GPS position in its EXIF. */
async function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: "PhoneMaker" }, IFD3: { GPSLatitudeRef: "N" } } })
    .toBuffer();
}

async function noisyJpeg(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 1.3));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
}

describe("POST /v1/media and GET /v1/media/:id (one server, SQLite, local media store)", () => {
  let server: TestServer;
  let alice: AuthResponse & { mediaToken: string };
  let stranger: AuthResponse & { mediaToken: string };
  let clock = Date.now();

  beforeAll(async () => {
    server = await startTestServer({ deps: { now: () => clock } });
    alice = (await devLogin(server, "alice", "Alice")) as typeof alice;
    stranger = (await devLogin(server, "stranger", "Stranger")) as typeof stranger;
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

  it("answers 413 too_large past each kind's limit and stores nothing", async () => {
    const before = await storedFiles(server);
    const aac = await fixture("voice-2s.aac");
    const cases: [string, string, Uint8Array][] = [
      ["12 MiB image", "image", await noisyJpeg(12 * MiB)],
      ["2 MiB + 1 voice", "voice", Buffer.concat([aac, randomBytes(2 * MiB + 1 - aac.length)])],
      ["20 MiB + 1 file", "file", randomBytes(20 * MiB + 1)],
    ];
    for (const [label, kind, bytes] of cases) {
      const { status, body } = await upload(server, alice.token, { kind, clientMediaId: cid() }, bytes);
      expect(status, label).toBe(413);
      expect(body.error?.code, label).toBe("too_large");
    }
    expect(await storedFiles(server)).toEqual(before);
  });

  it("answers 400 bad_request for disguised or truncated content and bad fields, storing nothing", async () => {
    const before = await storedFiles(server);
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "red" } })
      .png()
      .toBuffer();
    const jpeg = await photo(300, 200);
    const m4a = await fixture("voice-2s.m4a");
    const cases: [string, Fields, Uint8Array][] = [
      ["a PNG as voice", { kind: "voice", clientMediaId: cid() }, png],
      [
        "text as an image",
        { kind: "image", clientMediaId: cid() },
        Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"),
      ],
      ["a JPEG cut in half", { kind: "image", clientMediaId: cid() }, jpeg.subarray(0, jpeg.length >> 1)],
      ["an M4A cut in half", { kind: "voice", clientMediaId: cid() }, m4a.subarray(0, m4a.length >> 1)],
      ["no kind", { clientMediaId: cid() }, png],
      ["an unknown kind", { kind: "video", clientMediaId: cid() }, png],
      ["no clientMediaId", { kind: "image" }, png],
      ["a clientMediaId of 65 characters", { kind: "image", clientMediaId: "a".repeat(65) }, png],
      ["a clientMediaId with a slash", { kind: "image", clientMediaId: "a/b" }, png],
      ["an empty clientMediaId", { kind: "image", clientMediaId: "" }, png],
      ["a durationMs that is no number", { kind: "voice", clientMediaId: cid(), durationMs: "2s" }, m4a],
    ];
    for (const [label, fields, bytes] of cases) {
      const { status, body } = await upload(server, alice.token, fields, bytes);
      expect(status, label).toBe(400);
      expect(body.error?.code, label).toBe("bad_request");
    }
    const noFile = await rawRequest(server, "POST", "/v1/media", { token: alice.token, body: { kind: "image" } });
    expect([noFile.status, (noFile.body as { error: { code: string } }).error.code]).toEqual([400, "bad_request"]);
    expect(await storedFiles(server)).toEqual(before);
    // …and goes on serving.
    expect((await upload(server, alice.token, { kind: "image", clientMediaId: cid() }, png)).status).toBe(201);
  });

  it("refuses an upload without a valid session token (401), storing nothing", async () => {
    const before = await storedFiles(server);
    for (const token of ["", "garbage", alice.mediaToken]) {
      const { status } = await upload(server, token, { kind: "file", clientMediaId: cid() }, randomBytes(10));
      expect(status, token).toBe(401);
    }
    expect(await storedFiles(server)).toEqual(before);
  });

  it("serves one Range: first bytes, a suffix, and 416 outside", async () => {
    const bytes = randomBytes(1000);
    const { body } = await upload(server, alice.token, { kind: "file", clientMediaId: cid() }, bytes);
    const path = `/v1/media/${body.media.id}`;
    const first = await download(server, path, alice.mediaToken, { range: "bytes=0-9" });
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe("bytes 0-9/1000");
    expect(first.headers.get("content-length")).toBe("10");
    expect(Buffer.from(await first.arrayBuffer()).equals(bytes.subarray(0, 10))).toBe(true);
    const suffix = await download(server, path, alice.mediaToken, { range: "bytes=-5" });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("content-range")).toBe("bytes 995-999/1000");
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(995))).toBe(true);
    const open = await download(server, path, alice.mediaToken, { range: "bytes=990-" });
    expect([open.status, open.headers.get("content-range")]).toEqual([206, "bytes 990-999/1000"]);
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(990))).toBe(true);
    for (const range of ["bytes=1000-", "bytes=5000-6000"]) {
      const outside = await download(server, path, alice.mediaToken, { range });
      expect(outside.status, range).toBe(416);
      expect(outside.headers.get("content-range"), range).toBe("bytes */1000");
    }
  });

  it("answers 404 to a stranger, a missing or wrong token, a token after logout, and an unknown id", async () => {
    const { body } = await upload(server, alice.token, { kind: "image", clientMediaId: cid() }, await photo(50, 50));
    const path = `/v1/media/${body.media.id}`;
    const second = (await devLogin(server, "alice")) as typeof alice;
    expect((await download(server, path, second.mediaToken)).status).toBe(200);
    await api(server, second.token).raw("POST", "/v1/auth/logout");
    const [tokenPart, sessionPart] = alice.mediaToken.split(".");
    const refused: [string, string, string | undefined][] = [
      ["a stranger", path, stranger.mediaToken],
      ["no token", path, undefined],
      ["an empty token", path, ""],
      ["the access token", path, alice.token],
      ["a forged mac", path, `${tokenPart}.${sessionPart}.${"A".repeat(43)}`],
      ["another user in a token", path, `stranger.${sessionPart}.${alice.mediaToken.split(".")[2]}`],
      ["a logged-out session", path, second.mediaToken],
      ["a stranger's thumb", `${path}/thumb`, stranger.mediaToken],
      ["an unknown id", "/v1/media/nosuchmedia", alice.mediaToken],
    ];
    for (const [label, p, t] of refused) {
      const response = await download(server, p, t);
      expect(response.status, label).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code, label).toBe("not_found");
    }
    expect((await download(server, path, alice.mediaToken)).status).toBe(200);
  });

  it("gives the login answers, refresh and ready a media token that works", async () => {
    const login = (await devLogin(server, "carol")) as typeof alice;
    const { body } = await upload(server, login.token, { kind: "file", clientMediaId: cid() }, randomBytes(10));
    const refreshed = await api(server, login.token).raw("POST", "/v1/auth/refresh");
    const refreshToken = (refreshed.body as { mediaToken: string }).mediaToken;
    expect(refreshToken).toBe(login.mediaToken);
    const client = await TestClient.connect(server, "carol");
    try {
      const ready = client.frames.find((f): f is ReadyFrame => f.type === "ready");
      expect(typeof ready?.mediaToken).toBe("string");
      expect((await download(server, `/v1/media/${body.media.id}`, ready?.mediaToken)).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it("serves an avatar to whoever shares a conversation with its user, and nothing else of theirs", async () => {
    const dave = (await devLogin(server, "dave")) as typeof alice;
    const erin = (await devLogin(server, "erin")) as typeof alice;
    const avatar = (await upload(server, dave.token, { kind: "image", clientMediaId: cid() }, await photo(64, 64))).body
      .media;
    const other = (await upload(server, dave.token, { kind: "image", clientMediaId: cid() }, await photo(64, 64))).body
      .media;
    expect((await api(server, dave.token).raw("PATCH", "/v1/me", { avatarMediaId: avatar.id })).status).toBe(200);
    expect((await download(server, `/v1/media/${avatar.id}`, erin.mediaToken)).status).toBe(404);
    await api(server, dave.token).createDirect("erin");
    expect((await download(server, `/v1/media/${avatar.id}`, erin.mediaToken)).status).toBe(200);
    expect((await download(server, `/v1/media/${avatar.id}/thumb`, erin.mediaToken)).status).toBe(200);
    expect((await download(server, `/v1/media/${other.id}`, erin.mediaToken)).status).toBe(404);
    expect((await download(server, `/v1/media/${avatar.id}`, stranger.mediaToken)).status).toBe(404);
  });

  it("collects media no avatar references after 24 h, with its objects, and keeps avatars and younger media", async () => {
    const frank = (await devLogin(server, "frank")) as typeof alice;
    const up = async () =>
      (await upload(server, frank.token, { kind: "image", clientMediaId: cid() }, await photo(64, 48))).body.media;
    const loose = await up();
    const avatar = await up();
    await api(server, frank.token).raw("PATCH", "/v1/me", { avatarMediaId: avatar.id });
    const looseRecord = await server.store.findMedia(loose.id);
    clock += 24 * 60 * 60 * 1000 - 1000;
    const young = await up();
    expect(await server.app.mediaCollector.collect()).toBe(0);
    clock += 2000;
    expect(await server.app.mediaCollector.collect()).toBeGreaterThanOrEqual(1);
    expect(await server.store.findMedia(loose.id)).toBeNull();
    const files = (await storedFiles(server)).map((f) => f.split("/").pop());
    expect(files).not.toContain(looseRecord?.storageKey);
    expect(files).not.toContain(looseRecord?.thumbnailKey);
    expect((await download(server, `/v1/media/${loose.id}`, frank.mediaToken)).status).toBe(404);
    expect((await download(server, `/v1/media/${avatar.id}`, frank.mediaToken)).status).toBe(200);
    expect((await download(server, `/v1/media/${young.id}`, frank.mediaToken)).status).toBe(200);
  });
});
