import * as path from "node:path";
import * as v from "valibot";
import type { MediaStoreConfig } from "./open-media-store";

/** The media part of the configuration (config.ts spreads these entries into its schema). */
export type MediaConfig = {
  store: MediaStoreConfig;
  /** How often the collector of unreferenced media runs (MEDIA_GC_INTERVAL_MS). */
  gcIntervalMs: number;
};

const nonEmpty = v.pipe(v.string(), v.minLength(1));

export const MediaEnvSchema = v.object({
  MEDIA_STORE: v.optional(v.picklist(["local", "s3"], "must be local or s3"), "local"),
  MEDIA_DIR: v.optional(nonEmpty),
  S3_ENDPOINT: v.optional(
    v.pipe(v.string(), v.url("must be a URL"), v.regex(/^https?:\/\//, "must start with http:// or https://")),
  ),
  S3_BUCKET: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, "must be an S3 bucket name"))),
  S3_REGION: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,64}$/, "must be a region such as ap-shanghai"))),
  S3_ACCESS_KEY_ID: v.optional(nonEmpty),
  S3_SECRET_ACCESS_KEY: v.optional(nonEmpty),
  S3_FORCE_PATH_STYLE: v.optional(v.picklist(["on", "off"], "must be on or off"), "on"),
  MEDIA_GC_INTERVAL_MS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, "must be an integer from 1000 to 86400000"),
      v.transform(Number),
      v.minValue(1000, "must be at least 1000"),
      v.maxValue(86_400_000, "must be at most 86400000"),
    ),
    "3600000",
  ),
});

type MediaEnv = v.InferOutput<typeof MediaEnvSchema> & { REDIS_URL?: string | undefined };

const S3_REQUIRED = ["S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

/**
 * The media settings, checked together: `s3` needs its bucket, region and keys;
 * `local` with REDIS_URL (several instances) needs an explicit MEDIA_DIR, since
 * each instance's own `DATA_DIR/media` would hold only the uploads it received.
 */
export function mediaConfigOf(e: MediaEnv, fail: (message: string) => Error): MediaConfig {
  if (e.MEDIA_STORE === "local") {
    if (e.REDIS_URL && !e.MEDIA_DIR) {
      throw fail(
        "MEDIA_DIR: required with MEDIA_STORE=local when REDIS_URL is set (several instances each keep " +
          "DATA_DIR/media to themselves: set MEDIA_STORE=s3, or MEDIA_DIR to a folder all instances share)",
      );
    }
    const store: MediaStoreConfig = {
      kind: "local",
      dir: e.MEDIA_DIR === undefined ? undefined : path.resolve(e.MEDIA_DIR),
    };
    return { store, gcIntervalMs: e.MEDIA_GC_INTERVAL_MS };
  }
  const missing = S3_REQUIRED.filter((name) => e[name] === undefined);
  if (missing.length > 0) throw fail(missing.map((name) => `${name}: required when MEDIA_STORE=s3`).join("\n"));
  return {
    store: {
      kind: "s3",
      ...(e.S3_ENDPOINT === undefined ? {} : { endpoint: e.S3_ENDPOINT }),
      bucket: e.S3_BUCKET as string,
      region: e.S3_REGION as string,
      accessKeyId: e.S3_ACCESS_KEY_ID as string,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY as string,
      forcePathStyle: e.S3_FORCE_PATH_STYLE === "on",
    },
    gcIntervalMs: e.MEDIA_GC_INTERVAL_MS,
  };
}
