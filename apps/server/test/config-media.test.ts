import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";

describe("loadConfig: media store", () => {
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "mpchat-config-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps media under DATA_DIR/media by default, or MEDIA_DIR", () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.media).toEqual({ store: { kind: "local", dir: undefined }, gcIntervalMs: 3_600_000 });
    expect(loadConfig({ DATA_DIR: dataDir, MEDIA_DIR: "./m", MEDIA_GC_INTERVAL_MS: "1000" }).media).toEqual({
      store: { kind: "local", dir: resolve("./m") },
      gcIntervalMs: 1000,
    });
  });

  it("refuses MEDIA_STORE=local with REDIS_URL unless MEDIA_DIR is set, saying why", () => {
    const env = { DATA_DIR: dataDir, REDIS_URL: "redis://127.0.0.1:6379", TOKEN_SECRET: "s".repeat(40) };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/MEDIA_DIR: required with MEDIA_STORE=local when REDIS_URL is set/);
    expect(() => loadConfig(env)).toThrow(/MEDIA_STORE=s3/);
    expect(loadConfig({ ...env, MEDIA_DIR: "/shared/media" }).media.store).toEqual({
      kind: "local",
      dir: "/shared/media",
    });
  });

  it("takes MEDIA_STORE=s3 with every S3 setting, names each missing one, and never prints the secret key", () => {
    const s3 = {
      DATA_DIR: dataDir,
      MEDIA_STORE: "s3",
      S3_ENDPOINT: "https://cos.ap-shanghai.myqcloud.com",
      S3_BUCKET: "mpchat-media",
      S3_REGION: "ap-shanghai",
      S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
      S3_SECRET_ACCESS_KEY: "very-secret-key-value",
    };
    expect(
      loadConfig({ ...s3, REDIS_URL: "redis://127.0.0.1:6379", TOKEN_SECRET: "s".repeat(40) }).media.store,
    ).toEqual({
      kind: "s3",
      endpoint: s3.S3_ENDPOINT,
      bucket: "mpchat-media",
      region: "ap-shanghai",
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "very-secret-key-value",
      forcePathStyle: true,
    });
    for (const name of ["S3_BUCKET", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const) {
      const { [name]: _dropped, ...rest } = s3;
      expect(() => loadConfig(rest), name).toThrow(new RegExp(`${name}: required when MEDIA_STORE=s3`));
    }
    const bad: [string, string][] = [
      ["MEDIA_STORE", "gcs"],
      ["S3_ENDPOINT", "ftp://x"],
      ["S3_BUCKET", "Bad_Bucket"],
      ["S3_REGION", "ap shanghai"],
      ["MEDIA_GC_INTERVAL_MS", "10"],
      ["S3_FORCE_PATH_STYLE", "yes"],
    ];
    for (const [name, value] of bad) {
      expect(() => loadConfig({ ...s3, [name]: value }), name).toThrow(new RegExp(`${name}: `));
    }
    // A secret key in a wrong place (too short to be one, say) is still never shown.
    expect(() => loadConfig({ ...s3, S3_BUCKET: "x" })).not.toThrow(/very-secret-key-value/);
  });
});
