import { mediaStoreContract } from "./media-store-contract";
import { startS3Server } from "./s3-server";

mediaStoreContract("S3 (s3rver on 127.0.0.1, path style)", async () => {
  const server = await startS3Server();
  return { store: server.store(), cleanup: server.close, atomicConcurrentOverwrite: false };
});
