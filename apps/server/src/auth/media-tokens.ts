import { createHmac, timingSafeEqual } from "node:crypto";
import { USER_ID_PATTERN } from "@mpchat/protocol";
import type { TokenSecrets } from "./tokens";

/** What a media token names: a session of a user (valid while that session lives). */
export interface MediaTokenClaims {
  userId: string;
  sessionId: string;
}

const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Media tokens (protocol 1.1, `GET /v1/media/:id?t=…`): `<userId>.<sessionId>.<mac>`,
 * the mac an HMAC-SHA256 of both under the token secret. Deterministic, so that one
 * session's media URLs stay the same across `ready`s and the mini program's image
 * cache keeps working; no expiry of its own, since it is valid exactly while the
 * session is (the route checks that, like HTTP auth, so a logout ends it at once).
 * Short and sync: it goes in every `ready` and in URLs. The previous secret of a
 * rotation is still accepted.
 */
export class MediaTokens {
  private readonly current: string;
  private readonly accepted: string[];

  constructor(secrets: TokenSecrets) {
    this.current = secrets.current;
    this.accepted = secrets.previous === undefined ? [secrets.current] : [secrets.current, secrets.previous];
  }

  issue(userId: string, sessionId: string): string {
    return `${userId}.${sessionId}.${mac(this.current, userId, sessionId).toString("base64url")}`;
  }

  /** The claims of a well-formed token with a valid mac; null otherwise (the session is not checked here). */
  verify(token: string): MediaTokenClaims | null {
    const [userId, sessionId, given, extra] = token.split(".");
    if (userId === undefined || sessionId === undefined || given === undefined || extra !== undefined) return null;
    if (!USER_ID_PATTERN.test(userId) || !SESSION_ID.test(sessionId)) return null;
    const givenMac = Buffer.from(given, "base64url");
    for (const secret of this.accepted) {
      const expected = mac(secret, userId, sessionId);
      if (givenMac.length === expected.length && timingSafeEqual(givenMac, expected)) return { userId, sessionId };
    }
    return null;
  }
}

function mac(secret: string, userId: string, sessionId: string): Buffer {
  // A label of its own, so that this mac can never be mistaken for another use of the secret.
  return createHmac("sha256", secret).update(`mpchat-media-token\n${userId}\n${sessionId}`).digest();
}
