import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImageMime, storeImage } from "../../src/media/image";
import { LocalMediaStore } from "../../src/media/local-media-store";
import { sniffMime } from "../../src/media/media-check";
import { MediaError } from "../../src/media/media-error";

let root: string;
let store: LocalMediaStore;
let n = 0;
const keys = () => {
  n += 1;
  return { original: `img${n}`, thumb: `img${n}.thumb` };
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "mpchat-image-"));
  store = await LocalMediaStore.open(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A photo as a phone takes it: landscape pixels, EXIF "rotate 90° clockwise", GPS, a camera model. */
async function phoneJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: "PhoneMaker", Model: "Phone 12" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "31/1 14/1 0/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "121/1 28/1 0/1",
        },
      },
    })
    .toBuffer();
}

/** Whether an EXIF block has the GPS IFD pointer (tag 0x8825, either byte order). */
function hasGpsPointer(exif: Buffer | undefined): boolean {
  return exif !== undefined && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
}

async function stored(key: string): Promise<Buffer> {
  const stream = await store.get(key);
  if (stream === null) throw new Error(`${key} not stored`);
  return buffer(stream);
}

async function refusal(run: Promise<unknown>): Promise<MediaError> {
  const error = await run.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(error instanceof MediaError)) throw new Error(`expected a MediaError, got ${String(error)}`);
  return error;
}

describe("storeImage", () => {
  it("strips EXIF and GPS from a JPEG, turns it upright, and thumbnails it without metadata", async () => {
    const input = await phoneJpeg(800, 400);
    const before = await sharp(input).metadata();
    expect(before.orientation).toBe(6);
    expect(before.exif?.toString("latin1")).toContain("PhoneMaker");
    expect(hasGpsPointer(before.exif)).toBe(true);
    expect(before.icc?.length).toBeGreaterThan(0);

    const k = keys();
    const { image, thumb } = await storeImage(store, Readable.from([input]), "image/jpeg", k);
    expect(image).toMatchObject({ mime: "image/jpeg", width: 400, height: 800 });
    expect(thumb).toMatchObject({ mime: "image/jpeg", width: 180, height: 360 });

    for (const [key, info] of [
      [k.original, image],
      [k.thumb, thumb],
    ] as const) {
      const bytes = await stored(key);
      expect(bytes.length).toBe(info.size);
      expect(await sniffMime(bytes)).toBe("image/jpeg");
      const meta = await sharp(bytes).metadata();
      expect(meta.exif, key).toBeUndefined();
      expect(meta.xmp, key).toBeUndefined();
      expect(meta.icc, key).toBeUndefined();
      expect(meta.orientation, key).toBeUndefined();
      expect([meta.width, meta.height], key).toEqual([info.width, info.height]);
      expect(bytes.includes("PhoneMaker"), key).toBe(false);
      expect(bytes.includes("Exif"), key).toBe(false);
    }
  });

  it("keeps each format, and an animated GIF or WebP animated", async () => {
    const frame = (r: number) =>
      sharp({ create: { width: 120, height: 80, channels: 4, background: { r, g: 0, b: 0, alpha: 0.5 } } })
        .png()
        .toBuffer();
    const frames = await Promise.all([frame(10), frame(120), frame(250)]);
    const cases: [ImageMime, Buffer, number][] = [
      ["image/png", frames[0]!, 1],
      ["image/webp", await sharp(frames[0]!).webp().toBuffer(), 1],
      [
        "image/gif",
        await sharp(frames, { join: { animated: true } })
          .gif()
          .toBuffer(),
        3,
      ],
      [
        "image/webp",
        await sharp(frames, { join: { animated: true } })
          .webp()
          .toBuffer(),
        3,
      ],
    ];
    for (const [mime, input, pages] of cases) {
      const k = keys();
      const { image, thumb } = await storeImage(store, Readable.from([input]), mime, k);
      expect(image, mime).toMatchObject({ mime, width: 120, height: 80 });
      expect(thumb, mime).toMatchObject({ mime, width: 120, height: 80 });
      const bytes = await stored(k.original);
      expect(await sniffMime(bytes), mime).toBe(mime);
      const meta = await sharp(bytes, { animated: true }).metadata();
      expect(meta.pages ?? 1, `${mime} pages`).toBe(pages);
      expect(meta.exif).toBeUndefined();
    }
  });

  it("scales a large image down to 4096 px a side, shape kept; the thumbnail to 360", async () => {
    const input = await sharp({ create: { width: 6000, height: 3000, channels: 3, background: "white" } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const { image, thumb } = await storeImage(store, Readable.from([input]), "image/png", keys());
    expect([image.width, image.height]).toEqual([4096, 2048]);
    expect([thumb.width, thumb.height]).toEqual([360, 180]);
  });

  it("refuses more than 8192 px a side with too_large, turned or not", async () => {
    const tall = await sharp({ create: { width: 16, height: 8193, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    const wide = await sharp({ create: { width: 8200, height: 16, channels: 3, background: "white" } })
      .jpeg()
      .toBuffer();
    for (const [label, input, mime] of [
      ["tall PNG", tall, "image/png"],
      ["wide JPEG", wide, "image/jpeg"],
    ] as const) {
      const error = await refusal(storeImage(store, Readable.from([input]), mime, keys()));
      expect(error.code, label).toBe("too_large");
      expect(error.message, label).toContain("8192 px");
    }
  });

  it("refuses truncated and undecodable images with bad_request", async () => {
    const jpeg = await sharp({ create: { width: 300, height: 200, channels: 3, background: "blue" } })
      .jpeg()
      .toBuffer();
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "blue" } })
      .png()
      .toBuffer();
    const webp = await sharp({ create: { width: 300, height: 200, channels: 3, background: "blue" } })
      .webp()
      .toBuffer();
    const cases: [string, Buffer, ImageMime][] = [
      ["JPEG cut in half", jpeg.subarray(0, jpeg.length >> 1), "image/jpeg"],
      ["JPEG header only", jpeg.subarray(0, 200), "image/jpeg"],
      ["PNG cut in half", png.subarray(0, png.length >> 1), "image/png"],
      ["WebP cut in half", webp.subarray(0, webp.length >> 1), "image/webp"],
      ["JPEG magic then zeros", Buffer.concat([jpeg.subarray(0, 4), Buffer.alloc(5000)]), "image/jpeg"],
      ["nothing", Buffer.alloc(0), "image/png"],
    ];
    for (const [label, input, mime] of cases) {
      const error = await refusal(storeImage(store, Readable.from([input]), mime, keys()));
      expect(error.code, label).toBe("bad_request");
    }
  });

  it("spools the input to a temporary file that is gone afterwards: stored, refused, or cut off", async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), "mpchat-spool-"));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = spoolDir; // os.tmpdir() reads it at each call
    try {
      const jpeg = await phoneJpeg(640, 480);
      await storeImage(store, Readable.from([jpeg]), "image/jpeg", keys());
      await refusal(storeImage(store, Readable.from([jpeg.subarray(0, 300)]), "image/jpeg", keys()));
      const cut = new Readable({
        read() {
          this.push(jpeg.subarray(0, 1000));
          this.destroy(new Error("connection cut"));
        },
      });
      await expect(storeImage(store, cut, "image/jpeg", keys())).rejects.toThrow("connection cut");
      expect(await readdir(spoolDir)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});
