import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { syntheticJpeg } from "../src/media/synthetic-jpeg";
import { PeakRss } from "../src/proc/peak-rss";
import { readProcSample } from "../src/proc/proc-stat";

const MiB = 1024 * 1024;

describe("upload scenario tools", () => {
  it("makes a JPEG of the asked size within 3% below the target", async () => {
    for (const target of [60_000, 200_000]) {
      const jpeg = await syntheticJpeg(640, 480, target);
      expect(jpeg.length, String(target)).toBeLessThanOrEqual(target);
      expect(jpeg.length, String(target)).toBeGreaterThanOrEqual(target * 0.97);
      expect(await sharp(jpeg).metadata()).toMatchObject({ format: "jpeg", width: 640, height: 480 });
    }
  });

  it("refuses a size no JPEG of those dimensions can fit in", async () => {
    await expect(syntheticJpeg(640, 480, 100)).rejects.toThrow(/fits in 100 bytes/);
  });

  it("reads a peak that a short allocation inside the window reached, after it was freed", () => {
    const before = readProcSample(process.pid)?.rssBytes ?? 0;
    const peak = new PeakRss(process.pid);
    let block: Buffer | null = Buffer.alloc(64 * MiB, 1);
    expect(block[block.length - 1]).toBe(1);
    block = null;
    const { peakBytes, source } = peak.stop();
    expect(["VmHWM", "sampled"]).toContain(source);
    if (source === "VmHWM") expect(peakBytes).toBeGreaterThanOrEqual(before + 60 * MiB);
  });
});
