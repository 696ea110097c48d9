import { join } from "node:path";
import { LocalMediaStore } from "./local-media-store";
import type { MediaStore } from "./media-store";
import { S3MediaStore, type S3MediaStoreOptions } from "./s3-media-store";

/** What config.ts yields for media: `MEDIA_STORE=local` (with `MEDIA_DIR`) or `s3` (with the `S3_*` settings). */
export type MediaStoreConfig = { kind: "local"; dir?: string | undefined } | ({ kind: "s3" } & S3MediaStoreOptions);

/** The composition root's one choice of adapter; the local folder defaults to `DATA_DIR/media`. */
export async function openMediaStore(config: MediaStoreConfig, dataDir: string): Promise<MediaStore> {
  if (config.kind === "local") return LocalMediaStore.open(config.dir ?? join(dataDir, "media"));
  const { kind: _kind, ...options } = config;
  return new S3MediaStore(options);
}
