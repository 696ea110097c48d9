import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaError } from "../../src/media/media-error";
import type { S3MediaStore } from "../../src/media/s3-media-store";
import { storeUpload } from "../../src/media/upload";
import { startS3Server } from "./s3-server";

const MiB = 1024 * 1024;

/** The same pipeline into S3: sharp's output (length unknown) and a multi-part file go through lib-storage. */
describe("storeUpload into S3 (s3rver)", () => {
  let server: Awaited<ReturnType<typeof startS3Server>>;
  let store: S3MediaStore;
  beforeAll(async () => {
    server = await startS3Server();
    store = server.store();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("stores an image and its thumbnail, and a 12 MiB file in parts", async () => {
    const photo = await sharp({ create: { width: 900, height: 500, channels: 3, background: "green" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await storeUpload(store, {
      kind: "image",
      file: Readable.from([photo]),
      keys: { original: "i1", thumb: "i1.thumb" },
    });
    expect(image).toMatchObject({ kind: "image", mime: "image/jpeg", width: 500, height: 900 });
    expect(await store.stat("i1")).toEqual({ size: image.size, contentType: "image/jpeg" });
    expect((await store.stat("i1.thumb"))?.contentType).toBe("image/jpeg");

    const bytes = randomBytes(12 * MiB);
    const file = await storeUpload(store, {
      kind: "file",
      file: Readable.from([bytes.subarray(0, 6 * MiB), bytes.subarray(6 * MiB)]),
      filename: "backup.zip",
      keys: { original: "f1", thumb: "f1.thumb" },
    });
    expect(file).toMatchObject({ kind: "file", size: bytes.length, name: "backup.zip" });
    expect(await server.keys()).toEqual(["f1", "i1", "i1.thumb"]);
  });

  it("leaves nothing in the bucket after a too-large or a truncated upload", async () => {
    const before = await server.keys();
    const jpeg = await sharp(randomBytes(300 * 200 * 3), { raw: { width: 300, height: 200, channels: 3 } })
      .jpeg()
      .toBuffer();
    const jpegHead = jpeg.subarray(0, jpeg.length >> 1);
    const cases: [string, "image" | "file", Readable, string][] = [
      ["12 MiB image", "image", Readable.from([jpegHead, randomBytes(12 * MiB)]), "too_large"],
      [
        "21 MiB file",
        "file",
        Readable.from([randomBytes(7 * MiB), randomBytes(7 * MiB), randomBytes(7 * MiB)]),
        "too_large",
      ],
      ["truncated JPEG", "image", Readable.from([jpegHead]), "bad_request"],
    ];
    for (const [label, kind, file, code] of cases) {
      const error = await storeUpload(store, { kind, file, keys: { original: "x1", thumb: "x1.thumb" } }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, label).toBeInstanceOf(MediaError);
      expect((error as MediaError).code, label).toBe(code);
    }
    expect(await server.keys()).toEqual(before);
  });
});
