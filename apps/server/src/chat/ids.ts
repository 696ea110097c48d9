import { randomBytes } from "node:crypto";

/**
 * A random id of 16 characters from [A-Za-z0-9_-] (96 bits): unguessable, so a
 * conversation id reveals nothing, and collision-free without coordination.
 */
export function newId(): string {
  return randomBytes(12).toString("base64url");
}
