import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// sharp is the server's dependency (it re-encodes uploads); the screenshots borrow it to draw a photo.
const serverDir = join(dirname(fileURLToPath(import.meta.url)), "../../../server");
type Sharp = (input: Buffer) => { jpeg(options: { quality: number }): { toBuffer(): Promise<Buffer> } };
const sharp = createRequire(join(serverDir, "package.json"))("sharp") as Sharp;

/** An autumn hillside at dusk (香山): sky, sun, ridges, red and orange trees. 1200 × 900, JPEG. */
export async function hillsidePhoto(): Promise<Uint8Array> {
  const trees = Array.from({ length: 26 }, (_, i) => {
    const x = 30 + i * 46 + ((i * 37) % 20);
    const y = 640 + ((i * 53) % 90);
    const r = 34 + ((i * 29) % 22);
    const color = ["#c0392b", "#e67e22", "#d35400", "#f1c40f", "#a93226"][i % 5];
    return `<rect x="${x - 4}" y="${y}" width="8" height="${r + 30}" fill="#5d4037"/><circle cx="${x}" cy="${y}" r="${r}" fill="${color}" opacity="0.95"/>`;
  }).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#3a6ea5"/><stop offset="0.55" stop-color="#f5b971"/><stop offset="1" stop-color="#f7d9a8"/>
    </linearGradient></defs>
    <rect width="1200" height="900" fill="url(#sky)"/>
    <circle cx="860" cy="330" r="70" fill="#fff3c4" opacity="0.9"/>
    <path d="M0 520 L180 380 L330 470 L520 300 L700 450 L880 360 L1040 440 L1200 380 L1200 900 L0 900 Z" fill="#6b7f99" opacity="0.8"/>
    <path d="M0 620 L220 500 L420 580 L640 470 L860 590 L1060 520 L1200 570 L1200 900 L0 900 Z" fill="#7a5c45"/>
    <path d="M0 760 L300 690 L600 740 L900 680 L1200 730 L1200 900 L0 900 Z" fill="#4e342e"/>
    ${trees}
  </svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer());
}
