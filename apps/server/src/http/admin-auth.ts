import { createHash, timingSafeEqual } from "node:crypto";
import { unauthorized } from "../app-error";

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * The check of `Authorization: Bearer <ADMIN_TOKEN>`, in constant time: both
 * sides are hashed to 32 bytes first, so neither the comparison nor a length
 * difference tells a caller how much of a guess was right.
 */
export function adminTokenCheck(adminToken: string): (authorization: string | undefined) => void {
  const expected = digest(adminToken);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const given = digest(match?.[1] ?? "");
    // Both always compared (no early return on a missing header): the same work either way.
    const equal = timingSafeEqual(given, expected);
    if (!match || !equal) throw unauthorized("missing or wrong admin token");
  };
}
