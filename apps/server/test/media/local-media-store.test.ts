import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LocalMediaStore } from "../../src/media/local-media-store";
import { mediaStoreContract } from "./media-store-contract";

mediaStoreContract("local files (temp folder)", async () => {
  const root = await mkdtemp(join(tmpdir(), "mpchat-media-"));
  return {
    store: await LocalMediaStore.open(root),
    cleanup: () => rm(root, { recursive: true, force: true }),
    atomicConcurrentOverwrite: true,
  };
});

describe("LocalMediaStore files", () => {
  it("writes nothing outside its root and leaves no temp file after a failed put", async () => {
    const parent = await mkdtemp(join(tmpdir(), "mpchat-media-"));
    const root = join(parent, "media");
    const store = await LocalMediaStore.open(root);
    await store.put("a1", Readable.from([Buffer.from("hello")]), { contentType: "text/plain" });
    await expect(
      store.put("../escaped", Readable.from([Buffer.from("x")]), { contentType: "text/plain" }),
    ).rejects.toThrow();
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from("partial");
        throw new Error("cut");
      })(),
    );
    await expect(store.put("a2", failing, { contentType: "text/plain" })).rejects.toThrow("cut");
    expect(await readdir(parent)).toEqual(["media"]);
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
    await rm(parent, { recursive: true, force: true });
  });

  it("clears temp files a crash left behind when it opens", async () => {
    const root = await mkdtemp(join(tmpdir(), "mpchat-media-"));
    const { writeFile, mkdir } = await import("node:fs/promises");
    await mkdir(join(root, ".tmp"), { recursive: true });
    await writeFile(join(root, ".tmp", "left.part"), "x");
    await LocalMediaStore.open(root);
    expect(await readdir(join(root, ".tmp"))).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });
});
