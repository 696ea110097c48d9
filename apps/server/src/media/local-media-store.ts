import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertContentType,
  assertMediaKey,
  type ByteRange,
  type MediaObjectInfo,
  type MediaPutOptions,
  type MediaStore,
} from "./media-store";

/**
 * Media as files under one root folder (`DATA_DIR/media` by default). Serves one
 * instance, or several sharing a folder the operator vouches for.
 *
 * Layout: `<root>/<2 hex of sha256(key)>/<key>`, so no folder grows past a few
 * thousand entries per million objects. Each file starts with a small header
 * holding the content type (`MPM1`, one length byte, the type), so an object is
 * one file and one rename: nothing can leave a type without bytes or bytes
 * without a type. Writes go to `<root>/.tmp/` first and are renamed into place
 * (atomic on one file system); a crash leaves at most a temp file there, which
 * `open()` of a new store clears.
 */
export class LocalMediaStore implements MediaStore {
  private readonly tmpDir: string;

  private constructor(private readonly root: string) {
    this.tmpDir = join(root, ".tmp");
  }

  static async open(root: string): Promise<LocalMediaStore> {
    const store = new LocalMediaStore(root);
    await rm(store.tmpDir, { recursive: true, force: true });
    await mkdir(store.tmpDir, { recursive: true });
    return store;
  }

  async put(key: string, body: Readable, options: MediaPutOptions): Promise<{ size: number }> {
    const target = this.pathOf(key);
    assertContentType(options.contentType);
    const tmp = join(this.tmpDir, `${randomBytes(12).toString("hex")}.part`);
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          yield encodeHeader(options.contentType);
          for await (const chunk of source) {
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: "wx" }),
      );
      await mkdir(join(target, ".."), { recursive: true });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return { size };
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    const opened = await this.openObject(key);
    if (opened === null) return null;
    const { handle, headerLength, info } = opened;
    if (info.size === 0 || (range !== undefined && range.start >= info.size)) {
      await handle.close();
      return Readable.from([]);
    }
    const start = headerLength + (range?.start ?? 0);
    const end = headerLength + Math.min(range?.end ?? info.size - 1, info.size - 1);
    // The open handle keeps the bytes readable even if the key is replaced or
    // deleted while the stream is being read.
    return handle.createReadStream({ start, end, autoClose: true });
  }

  async stat(key: string): Promise<MediaObjectInfo | null> {
    const opened = await this.openObject(key);
    if (opened === null) return null;
    await opened.handle.close();
    return opened.info;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async close(): Promise<void> {}

  private pathOf(key: string): string {
    assertMediaKey(key);
    const shard = createHash("sha256").update(key).digest("hex").slice(0, 2);
    return join(this.root, shard, key);
  }

  private async openObject(
    key: string,
  ): Promise<{ handle: FileHandle; headerLength: number; info: MediaObjectInfo } | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    try {
      const head = Buffer.alloc(HEADER_MAX);
      const { bytesRead } = await handle.read(head, 0, HEADER_MAX, 0);
      const { contentType, headerLength } = decodeHeader(head.subarray(0, bytesRead), key);
      const { size } = await handle.stat();
      return { handle, headerLength, info: { size: size - headerLength, contentType } };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
}

const MAGIC = Buffer.from("MPM1");
const HEADER_MAX = MAGIC.length + 1 + 255;

function encodeHeader(contentType: string): Buffer {
  const type = Buffer.from(contentType, "latin1");
  return Buffer.concat([MAGIC, Buffer.from([type.length]), type]);
}

function decodeHeader(head: Buffer, key: string): { contentType: string; headerLength: number } {
  const length = head[MAGIC.length];
  if (
    !head.subarray(0, MAGIC.length).equals(MAGIC) ||
    length === undefined ||
    head.length < MAGIC.length + 1 + length
  ) {
    throw new Error(`media object ${key} has no valid header`);
  }
  const headerLength = MAGIC.length + 1 + length;
  return { contentType: head.subarray(MAGIC.length + 1, headerLength).toString("latin1"), headerLength };
}
