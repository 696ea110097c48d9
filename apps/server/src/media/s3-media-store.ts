import { PassThrough, Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  assertContentType,
  assertMediaKey,
  type ByteRange,
  type MediaObjectInfo,
  type MediaPutOptions,
  type MediaStore,
} from "./media-store";

export type S3MediaStoreOptions = {
  /** e.g. `https://cos.ap-shanghai.myqcloud.com`, `http://127.0.0.1:9000`; omit for AWS itself. */
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `bucket` in the path instead of the host name (MinIO, most self-hosted servers). */
  forcePathStyle?: boolean;
  /** Prepended to every key, e.g. `media/`, to share a bucket. */
  prefix?: string;
};

/** Parts of 5 MiB (the S3 minimum), two in flight: at most ~10 MiB buffered per upload. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Media in S3-compatible object storage (AWS S3, Tencent COS, MinIO…), for
 * several instances. A put streams through `@aws-sdk/lib-storage` (one PUT under
 * 5 MiB, a multipart upload above, aborted when the body errors), so the object
 * appears whole or not at all, as S3 itself guarantees.
 */
export class S3MediaStore implements MediaStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3MediaStoreOptions) {
    this.client = new S3Client({
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      region: options.region,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    });
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
  }

  async put(key: string, body: Readable, options: MediaPutOptions): Promise<{ size: number }> {
    const Key = this.keyOf(key);
    assertContentType(options.contentType);
    let size = 0;
    let bodyError: unknown;
    // Count the bytes, and keep the body's own error: lib-storage reports a
    // failed source with an error of its own.
    const counted = new PassThrough();
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
    });
    body.once("error", (err) => {
      bodyError = err;
      counted.destroy(err);
    });
    body.pipe(counted);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: counted, ContentType: options.contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      throw bodyError ?? err;
    }
    if (bodyError !== undefined) throw bodyError;
    return { size };
  }

  async get(key: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(key),
          ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      if (out.Body === undefined) return Readable.from([]);
      return out.Body as Readable;
    } catch (err) {
      if (isMissing(err)) return null;
      if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 416) return Readable.from([]);
      throw err;
    }
  }

  async stat(key: string): Promise<MediaObjectInfo | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? "application/octet-stream" };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    assertMediaKey(key);
    return this.prefix + key;
  }
}

function isMissing(err: unknown): boolean {
  return (
    err instanceof NoSuchKey ||
    err instanceof NotFound ||
    (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404)
  );
}
