/**
 * Durations of the two frame-stream formats a recorder writes, from their frame
 * headers: every frame is walked, so a file cut inside a frame, or with bytes
 * that are not frames, is caught (a tag such as Xing states a duration but
 * cannot tell that the file ends early). Each returns `null` for content that is
 * not a whole stream of frames.
 */

const ADTS_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** ADTS AAC (`format: "aac"` of the mini program's recorder): frames × 1024 samples / sample rate. */
export function adtsDurationMs(bytes: Uint8Array): number | null {
  let offset = skipId3v2(bytes);
  let samples = 0;
  let sampleRate = 0;
  let frames = 0;
  while (offset < bytes.length) {
    if (offset + 7 > bytes.length) return null;
    const b1 = bytes[offset + 1]!;
    if (bytes[offset] !== 0xff || (b1 & 0xf6) !== 0xf0) return null; // syncword, layer 00
    const b2 = bytes[offset + 2]!;
    const rate = ADTS_SAMPLE_RATES[(b2 >> 2) & 0x0f];
    const length = ((bytes[offset + 3]! & 0x03) << 11) | (bytes[offset + 4]! << 3) | (bytes[offset + 5]! >> 5);
    if (rate === undefined || length < 7 || offset + length > bytes.length) return null;
    if (sampleRate !== 0 && rate !== sampleRate) return null;
    sampleRate = rate;
    samples += ((bytes[offset + 6]! & 0x03) + 1) * 1024;
    frames += 1;
    offset += length;
  }
  return frames === 0 ? null : Math.round((samples * 1000) / sampleRate);
}

// Bitrates in kbit/s by [MPEG-1 ? 0 : 1][layer 1..3][index]; 0 = free / bad.
const MP3_BITRATES = [
  [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
] as const;
const MP3_SAMPLE_RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] } as const;

type Mp3Frame = { length: number; samples: number; sampleRate: number };

function mp3Frame(bytes: Uint8Array, offset: number): Mp3Frame | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 0x03; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = 4 - ((b1 >> 1) & 0x03); // 1..3; 4 = reserved
  if (version === 1 || layer === 4) return null;
  const b2 = bytes[offset + 2]!;
  const mpeg1 = version === 3;
  const bitrate = MP3_BITRATES[mpeg1 ? 0 : 1][layer - 1]?.[b2 >> 4];
  const sampleRate = MP3_SAMPLE_RATES[version as 3 | 2 | 0][(b2 >> 2) & 0x03];
  if (!bitrate || sampleRate === undefined) return null;
  const padding = (b2 >> 1) & 0x01;
  if (layer === 1)
    return { length: (Math.floor((12 * bitrate * 1000) / sampleRate) + padding) * 4, samples: 384, sampleRate };
  const samples = layer === 3 && !mpeg1 ? 576 : 1152;
  return { length: Math.floor(((samples / 8) * bitrate * 1000) / sampleRate) + padding, samples, sampleRate };
}

/** MP3 (MPEG audio layer I–III): the samples of every frame, the Xing/Info/VBRI tag frame left out. */
export function mp3DurationMs(bytes: Uint8Array): number | null {
  let offset = skipId3v2(bytes);
  let end = bytes.length;
  if (end - offset >= 128 && isAscii(bytes, end - 128, "TAG")) end -= 128; // ID3v1 at the end
  let samples = 0;
  let sampleRate = 0;
  let frames = 0;
  while (offset < end) {
    if (isAscii(bytes, offset, "APETAGEX") || isAscii(bytes, offset, "LYRICS")) break;
    const frame = mp3Frame(bytes, offset);
    if (frame === null || offset + frame.length > end) return null;
    if (sampleRate !== 0 && frame.sampleRate !== sampleRate) return null;
    sampleRate = frame.sampleRate;
    const isTag = frames === 0 && ["Xing", "Info", "VBRI"].some((tag) => findAscii(bytes, offset, offset + 64, tag));
    if (!isTag) samples += frame.samples;
    frames += 1;
    offset += frame.length;
  }
  return samples === 0 ? null : Math.round((samples * 1000) / sampleRate);
}

/** The offset past an ID3v2 tag at the start (10-byte header, sync-safe size, optional footer), else 0. */
function skipId3v2(bytes: Uint8Array): number {
  if (bytes.length < 10 || !isAscii(bytes, 0, "ID3")) return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = (bytes[5]! & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

function isAscii(bytes: Uint8Array, offset: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[offset + i] !== text.charCodeAt(i)) return false;
  return true;
}

function findAscii(bytes: Uint8Array, from: number, to: number, text: string): boolean {
  for (let i = from; i + text.length <= Math.min(to, bytes.length); i++) if (isAscii(bytes, i, text)) return true;
  return false;
}
