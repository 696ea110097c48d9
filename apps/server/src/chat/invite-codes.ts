import { randomBytes } from "node:crypto";

/** 18 bytes from the CSPRNG: 144 bits, 24 characters of [A-Za-z0-9_-]; nobody guesses one. */
const INVITE_CODE_BYTES = 18;

export function newInviteCode(): string {
  return randomBytes(INVITE_CODE_BYTES).toString("base64url");
}
