import { describe, expect, it } from "vitest";
import type { StoreKind } from "../support/server";
import { runFuzz } from "./session";

/** A bounded run in `pnpm test`; `pnpm fuzz` runs a million frames (fuzz-cli.ts). */
const stores: StoreKind[] = process.env.MYSQL_URL ? ["sqlite", "mysql"] : ["sqlite"];
/** 20,000 frames in all, whichever stores run. */
const FRAMES_PER_STORE = Math.ceil(20_000 / stores.length);
const HTTP_PER_STORE = 600;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

describe.each(stores)("fuzz against a server on %s", (store) => {
  it(`answers ${FRAMES_PER_STORE} arbitrary frames and ${HTTP_PER_STORE} HTTP bodies as documented (seed ${seed})`, {
    timeout: 120_000,
  }, async () => {
    const report = await runFuzz({ store, frames: FRAMES_PER_STORE, httpRequests: HTTP_PER_STORE, seed });
    expect(report.findings).toEqual([]);
    expect(report.frames.frames).toBe(FRAMES_PER_STORE);
    expect(report.http.requests).toBe(HTTP_PER_STORE);
    // Every family was drawn, a bystander chatted throughout, and the 4400 path was taken and survived.
    expect(report.frames.families.size).toBeGreaterThanOrEqual(15);
    expect(report.bystanderMessages).toBeGreaterThan(0);
    expect(report.frames.closed4400).toBeGreaterThan(0);
    expect(report.storedMessages).toBe(report.frames.answers.get("ack") ?? 0);
  });
});
