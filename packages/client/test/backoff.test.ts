import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, retryDelayMs } from "../src/backoff";

describe("retryDelayMs (full jitter)", () => {
  it("is random() times a ceiling that doubles per attempt", () => {
    const half = () => 0.5;
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs(attempt, half, { baseMs: 100, maxMs: 10_000 }))).toEqual([
      50, 100, 200, 400,
    ]);
  });

  it("never exceeds maxMs however many attempts failed", () => {
    const almostOne = () => 0.999_999;
    for (const attempt of [10, 50, 1000, Number.MAX_SAFE_INTEGER]) {
      const delay = retryDelayMs(attempt, almostOne, DEFAULT_BACKOFF);
      expect(delay).toBeLessThan(DEFAULT_BACKOFF.maxMs);
      expect(delay).toBeGreaterThan(DEFAULT_BACKOFF.maxMs - 2);
    }
  });

  it("can be zero (full jitter spreads clients over the whole window)", () => {
    expect(retryDelayMs(5, () => 0)).toBe(0);
  });

  it("stays within [0, ceiling) for random inputs", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(30_000, 500 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = retryDelayMs(attempt, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it("treats a negative attempt as the first", () => {
    expect(retryDelayMs(-3, () => 0.5, { baseMs: 100, maxMs: 1000 })).toBe(50);
  });
});
