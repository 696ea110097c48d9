import { randomBytes } from "node:crypto";
import sharp from "sharp";

// The images the upload tests send, shared by the storeUpload tests (media/) and the route tests (support/media-uploads).

/** A photo taken sideways, with the camera's make and a GPS position in its EXIF. */
export async function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Make: "PhoneMaker" }, IFD3: { GPSLatitudeRef: "N" } } })
    .toBuffer();
}

/** A JPEG of about `bytes` bytes: noise does not compress. */
export async function noisyJpeg(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 1.3));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 100 })
    .toBuffer();
}
