import { randomBytes } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./support/api";
import {
  cid,
  type Fields,
  fixture,
  type MediaUser,
  MiB,
  noisyJpeg,
  photo,
  startMediaServer,
  storedFiles,
  upload,
} from "./support/media-uploads";
import type { TestServer } from "./support/server";

describe("POST /v1/media refusals: size, content, fields, token (one server, SQLite, local media store)", () => {
  let server: TestServer;
  let alice: MediaUser;
  const clock = Date.now();

  beforeAll(async () => {
    ({ server, alice } = await startMediaServer(() => clock));
  });
  afterAll(async () => {
    await server?.close();
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
});
