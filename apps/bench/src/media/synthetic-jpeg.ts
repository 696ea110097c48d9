import { randomBytes } from "node:crypto";
import sharp from "sharp";

/**
 * A JPEG of about `targetBytes` at the given size, made once before a run: a
 * smooth gradient (what photos mostly are) with random grain whose strength is
 * bisected until the encoded size lands within 3% below the target. Grain is
 * what makes a photo's JPEG large; the server re-encodes it like any photo.
 */
export async function syntheticJpeg(width: number, height: number, targetBytes: number): Promise<Buffer> {
  const grain = randomBytes(width * height * 3);
  const encode = (strength: number) => {
    // A clamped array rounds and clamps every value it is given to 0..255.
    const pixels = new Uint8ClampedArray(width * height * 3);
    const scale = strength / 128;
    for (let y = 0; y < height; y++) {
      const green = (255 * y) / height;
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        pixels[i] = (255 * x) / width + ((grain[i] as number) - 128) * scale;
        pixels[i + 1] = green + ((grain[i + 1] as number) - 128) * scale;
        pixels[i + 2] = 128 + ((grain[i + 2] as number) - 128) * scale;
      }
    }
    return sharp(Buffer.from(pixels.buffer), { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 92 })
      .toBuffer();
  };
  let low = 0;
  let high = 128;
  let best: Buffer | null = null;
  for (let step = 0; step < 10; step++) {
    const strength = (low + high) / 2;
    const jpeg = await encode(strength);
    if (jpeg.length > targetBytes) high = strength;
    else {
      low = strength;
      best = jpeg;
      if (jpeg.length >= targetBytes * 0.97) break;
    }
  }
  if (!best) throw new Error(`no JPEG of ${width}×${height} fits in ${targetBytes} bytes`);
  return best;
}
