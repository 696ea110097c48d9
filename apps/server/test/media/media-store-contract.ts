import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MediaStore } from "../../src/media/media-store";
import { resolveRange } from "../../src/media/range";

/** A media store under test and how to throw it away. */
export interface MediaStoreFixture {
  store: MediaStore;
  cleanup: () => Promise<void>;
  /**
   * Whether concurrent puts to ONE key leave one of them whole. The local store
   * and real S3 do (rename; S3's atomic PUT); s3rver, the test server, writes the
   * same file from both requests, so its fixture says false.
   */
  atomicConcurrentOverwrite: boolean;
}

let counter = 0;
function key(): string {
  counter += 1;
  return `k${counter}-${randomBytes(4).toString("hex")}`;
}

/** A body that yields `bytes` in chunks of `chunk`, as a socket would. */
function chunked(bytes: Buffer, chunk = 64 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  );
}

/** A body that sends `before` bytes, then fails, as an upload cut at its limit. */
function failing(before: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield before;
      throw new Error("upload cut");
    })(),
  );
}

async function read(store: MediaStore, k: string, range?: { start: number; end: number }): Promise<Buffer | null> {
  const stream = await store.get(k, range);
  return stream === null ? null : buffer(stream);
}

export function mediaStoreContract(name: string, open: () => Promise<MediaStoreFixture>): void {
  describe(`MediaStore contract: ${name}`, () => {
    let fixture: MediaStoreFixture;
    let store: MediaStore;
    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    it("stores bytes with their content type and gives them back whole", async () => {
      const k = key();
      const bytes = randomBytes(10_000);
      expect(await store.put(k, chunked(bytes, 999), { contentType: "image/jpeg", size: bytes.length })).toEqual({
        size: 10_000,
      });
      expect(await store.stat(k)).toEqual({ size: 10_000, contentType: "image/jpeg" });
      expect(await store.exists(k)).toBe(true);
      expect((await read(store, k))?.equals(bytes)).toBe(true);
    });

    it("serves byte ranges: the first bytes, the middle, a suffix, past the end clamped", async () => {
      const k = key();
      const bytes = randomBytes(5000);
      await store.put(k, chunked(bytes), { contentType: "audio/aac" });
      const cases: [string, Buffer][] = [
        ["bytes=0-99", bytes.subarray(0, 100)],
        ["bytes=1000-1999", bytes.subarray(1000, 2000)],
        ["bytes=-300", bytes.subarray(4700)],
        ["bytes=4990-", bytes.subarray(4990)],
        ["bytes=4999-99999", bytes.subarray(4999)],
        // One byte (not 0-0: s3rver, the test server, reads an end of 0 as "to the end").
        ["bytes=1-1", bytes.subarray(1, 2)],
      ];
      for (const [header, expected] of cases) {
        const range = resolveRange(header, 5000);
        if (range === null || range === "unsatisfiable") throw new Error(`${header} should be satisfiable`);
        const got = await read(store, k, range);
        expect(got?.equals(expected), header).toBe(true);
      }
      expect(await read(store, k, { start: 4000, end: 1_000_000 })).toEqual(bytes.subarray(4000));
    });

    it("answers a missing key with null / false, and deleting it is no error", async () => {
      const k = key();
      expect(await store.get(k)).toBeNull();
      expect(await store.get(k, { start: 0, end: 10 })).toBeNull();
      expect(await store.stat(k)).toBeNull();
      expect(await store.exists(k)).toBe(false);
      await store.delete(k);
    });

    it("deletes: the object is gone for get, stat and exists", async () => {
      const k = key();
      await store.put(k, chunked(randomBytes(100)), { contentType: "application/pdf" });
      await store.delete(k);
      expect(await store.get(k)).toBeNull();
      expect(await store.stat(k)).toBeNull();
      expect(await store.exists(k)).toBe(false);
    });

    it("replaces an object on a second put (type and bytes), the last put wins", async () => {
      const k = key();
      await store.put(k, chunked(randomBytes(3000)), { contentType: "image/png" });
      const second = randomBytes(1200);
      await store.put(k, chunked(second), { contentType: "image/webp" });
      expect(await store.stat(k)).toEqual({ size: 1200, contentType: "image/webp" });
      expect((await read(store, k))?.equals(second)).toBe(true);
    });

    it("stores an empty object", async () => {
      const k = key();
      expect(await store.put(k, Readable.from([]), { contentType: "application/octet-stream" })).toEqual({ size: 0 });
      expect(await store.stat(k)).toEqual({ size: 0, contentType: "application/octet-stream" });
      expect((await read(store, k))?.length).toBe(0);
    });

    it("leaves nothing when the body fails midway, and keeps the previous object of the key", async () => {
      const fresh = key();
      await expect(store.put(fresh, failing(randomBytes(70_000)), { contentType: "image/jpeg" })).rejects.toThrow(
        "upload cut",
      );
      expect(await store.exists(fresh)).toBe(false);

      const kept = key();
      const original = randomBytes(2000);
      await store.put(kept, chunked(original), { contentType: "image/jpeg" });
      await expect(store.put(kept, failing(randomBytes(5000)), { contentType: "image/png" })).rejects.toThrow(
        "upload cut",
      );
      expect(await store.stat(kept)).toEqual({ size: 2000, contentType: "image/jpeg" });
      expect((await read(store, kept))?.equals(original)).toBe(true);
    });

    it("leaves nothing when a large multi-part body fails after several MiB", async () => {
      const k = key();
      const big = Readable.from(
        (async function* () {
          for (let i = 0; i < 12; i++) yield randomBytes(1024 * 1024);
          throw new Error("upload cut");
        })(),
      );
      await expect(store.put(k, big, { contentType: "application/zip" })).rejects.toThrow("upload cut");
      expect(await store.exists(k)).toBe(false);
    });

    it("streams a 12 MiB object in and out, ranges included", async () => {
      const k = key();
      const bytes = randomBytes(12 * 1024 * 1024);
      expect(await store.put(k, chunked(bytes), { contentType: "application/zip" })).toEqual({ size: bytes.length });
      expect(await store.stat(k)).toEqual({ size: bytes.length, contentType: "application/zip" });
      expect((await read(store, k))?.equals(bytes)).toBe(true);
      const start = 5 * 1024 * 1024 - 10;
      expect((await read(store, k, { start, end: start + 99 }))?.equals(bytes.subarray(start, start + 100))).toBe(true);
    });

    it("keeps concurrent puts to different keys apart", async () => {
      const bodies = Array.from({ length: 8 }, () => randomBytes(200_000));
      const keys = bodies.map(() => key());
      await Promise.all(bodies.map((b, i) => store.put(keys[i]!, chunked(b, 7000), { contentType: "image/gif" })));
      for (const [i, b] of bodies.entries()) expect((await read(store, keys[i]!))?.equals(b)).toBe(true);
    });

    it("leaves one of concurrent puts to one key whole", async (context) => {
      if (!fixture.atomicConcurrentOverwrite) context.skip("this test server does not write one key atomically");
      const bodies = Array.from({ length: 8 }, () => randomBytes(200_000));
      const shared = key();
      await Promise.all(bodies.map((b) => store.put(shared, chunked(b, 7000), { contentType: "image/gif" })));
      const got = await read(store, shared);
      expect(bodies.some((b) => got?.equals(b))).toBe(true);
    });

    it("refuses keys that could escape or hide, before touching anything", async () => {
      const bad = [
        "../x",
        "..",
        ".",
        "a/../../etc/passwd",
        "a/b",
        "/abs",
        ".hidden",
        "a\\b",
        "",
        "a\0b",
        "é",
        "x".repeat(201),
        "a..b",
      ];
      for (const k of bad) {
        await expect(store.put(k, chunked(randomBytes(10)), { contentType: "image/png" }), k).rejects.toThrow(
          /invalid media key/,
        );
        await expect(store.get(k), k).rejects.toThrow(/invalid media key/);
        await expect(store.stat(k), k).rejects.toThrow(/invalid media key/);
        await expect(store.delete(k), k).rejects.toThrow(/invalid media key/);
      }
    });

    it("refuses a content type that is not one", async () => {
      for (const contentType of ["", "image", "image/png\r\nX-Evil: 1", "a b/c"]) {
        await expect(store.put(key(), chunked(randomBytes(10)), { contentType }), contentType).rejects.toThrow(
          /invalid content type/,
        );
      }
    });
  });
}
