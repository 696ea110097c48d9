import { randomFillSync } from "node:crypto";

const ID_BYTES = 12;
/** Ids drawn per call into the CSPRNG: one call per 1024 ids instead of one per message. */
const POOL_BYTES = ID_BYTES * 1024;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * A random id of 16 characters from [A-Za-z0-9_-] (96 bits): unguessable, so a
 * conversation id reveals nothing, and collision-free without coordination.
 * The bytes come from the CSPRNG in bulk and each byte is used once.
 */
export function newId(): string {
  if (offset === POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString("base64url", offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
