import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { S3MediaStore, type S3MediaStoreOptions } from "../../src/media/s3-media-store";

/**
 * A real S3-protocol server (s3rver) on 127.0.0.1, a free port, in a temp folder; `keys()` lists the
 * bucket with a plain S3 client, so tests check what was stored without going through the adapter.
 */
export async function startS3Server(): Promise<{
  options: S3MediaStoreOptions;
  store: () => S3MediaStore;
  keys: () => Promise<string[]>;
  close: () => Promise<void>;
}> {
  const directory = await mkdtemp(join(tmpdir(), "mpchat-s3-"));
  const bucket = "media";
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const options: S3MediaStoreOptions = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: "us-east-1",
    // s3rver's fixed development credentials.
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  };
  const stores: S3MediaStore[] = [];
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
  });
  return {
    options,
    store: () => {
      const store = new S3MediaStore(options);
      stores.push(store);
      return store;
    },
    keys: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((o) => o.Key ?? "").sort();
    },
    close: async () => {
      client.destroy();
      for (const store of stores) await store.close();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
