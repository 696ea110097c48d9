import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import pLimit from "p-limit";
import { describe, expect, it, vi } from "vitest";
import { LocalMediaStore } from "../../src/media/local-media-store";
import { storeUpload } from "../../src/media/upload";
import { noisyJpeg, photo } from "./upload-app";

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
