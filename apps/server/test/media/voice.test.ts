import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adtsDurationMs, mp3DurationMs } from "../../src/media/audio-frames";
import { sniffMime } from "../../src/media/media-check";
import { MediaError } from "../../src/media/media-error";
import { voiceDurationMs } from "../../src/media/voice";

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, "fixtures", name)));

function repeat(bytes: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(bytes.length * times);
  for (let i = 0; i < times; i++) out.set(bytes, i * bytes.length);
  return out;
}

describe("voice duration from the content", () => {
  it("reads ADTS AAC, M4A and MP3 of 2 s (frames or header, not a field)", async () => {
    const cases: [string, string, number, number][] = [
      ["voice-2s.aac", "audio/aac", 2000, 2200],
      ["voice-2s.m4a", "audio/mp4", 2000, 2200],
      ["voice-2s.mp3", "audio/mpeg", 2000, 2200],
      ["voice-2s-plain.mp3", "audio/mpeg", 2000, 2200],
    ];
    for (const [name, mime, min, max] of cases) {
      const bytes = fixture(name);
      expect(await sniffMime(bytes), name).toBe(mime);
      const ms = await voiceDurationMs(bytes, mime);
      expect(ms, name).toBeGreaterThanOrEqual(min);
      expect(ms, name).toBeLessThanOrEqual(max);
    }
  });

  it("counts every frame: 31 ADTS or MP3 streams end to end last 31 times as long", async () => {
    const aac = fixture("voice-2s.aac");
    expect(adtsDurationMs(repeat(aac, 31))).toBe(31 * adtsDurationMs(aac)!);
    const mp3 = fixture("voice-2s-plain.mp3");
    expect(mp3DurationMs(repeat(mp3, 31))).toBe(31 * mp3DurationMs(mp3)!);
    expect(await voiceDurationMs(repeat(aac, 31), "audio/aac")).toBeGreaterThan(60_000);
  });

  it("reads a 61 s M4A as 61 s", async () => {
    const ms = await voiceDurationMs(fixture("voice-61s.m4a"), "audio/mp4");
    expect(ms).toBeGreaterThan(60_500);
    expect(ms).toBeLessThan(61_500);
  });

  it("refuses truncated and undecodable voice with bad_request", async () => {
    const cut = (name: string, keep: number) => fixture(name).subarray(0, keep);
    const garbage = new Uint8Array(3000).fill(0x41);
    const cases: [string, Uint8Array, string][] = [
      ["ADTS cut inside a frame", cut("voice-2s.aac", 3001), "audio/aac"],
      ["ADTS cut inside a header", cut("voice-2s.aac", 3), "audio/aac"],
      ["ADTS with garbage after a frame", concat(cut("voice-2s.aac", 1000), garbage), "audio/aac"],
      ["MP3 cut inside a frame", cut("voice-2s.mp3", 4001), "audio/mpeg"],
      ["plain MP3 cut inside a frame", cut("voice-2s-plain.mp3", 1001), "audio/mpeg"],
      ["M4A cut in half", cut("voice-2s.m4a", 3651), "audio/mp4"],
      ["M4A header only", cut("voice-2s.m4a", 40), "audio/mp4"],
      ["empty ADTS", new Uint8Array(0), "audio/aac"],
      ["empty MP3", new Uint8Array(0), "audio/mpeg"],
      ["garbage as MP3", garbage, "audio/mpeg"],
    ];
    for (const [label, bytes, mime] of cases) {
      const error = await voiceDurationMs(bytes, mime).then(
        () => null,
        (err: unknown) => err,
      );
      expect(error, label).toBeInstanceOf(MediaError);
      expect((error as MediaError).code, label).toBe("bad_request");
    }
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
