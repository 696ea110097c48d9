import { createHash, randomUUID } from "node:crypto";
import { USER_ID_PATTERN } from "@mpchat/protocol";
import { type JWTHeaderParameters, jwtVerify, SignJWT } from "jose";

/** Who issues the tokens and whom they are for: a token minted for anything else is refused. */
export const TOKEN_ISSUER = "mpchat";
export const TOKEN_AUDIENCE = "mpchat:api";

/** Session ids: random, url-safe (see SessionService). */
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * The key id of a secret: a short digest, so that a token names the secret that
 * signed it (rotation) without revealing anything usable about it.
 */
export function keyIdOf(secret: string): string {
  return createHash("sha256").update(`mpchat-token-key:${secret}`).digest("base64url").slice(0, 12);
}

/** What a valid token says. */
export interface TokenClaims {
  userId: string;
  sessionId: string;
  /** Epoch milliseconds after which the token is refused. */
  expiresAt: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: number;
}

export interface TokenSecrets {
  /** Signs every new token. */
  current: string;
  /** Still accepted for verification (a rotation in progress); never signs. */
  previous?: string | undefined;
}

/**
 * Access tokens: HS256 JWTs carrying `iss`, `aud`, `kid` (header), `sub` (user
 * id), `sid` (the session) and `jti` (unique per token). `exp` has millisecond
 * precision (a NumericDate may be fractional, RFC 7519 §2), so that a token
 * refreshed a moment later always outlives the one before it.
 */
export class TokenService {
  private readonly signingKey: Uint8Array;
  private readonly signingKid: string;
  private readonly keys = new Map<string, Uint8Array>();

  constructor(
    secrets: TokenSecrets | string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    const { current, previous } = typeof secrets === "string" ? { current: secrets, previous: undefined } : secrets;
    this.signingKey = new TextEncoder().encode(current);
    this.signingKid = keyIdOf(current);
    this.keys.set(this.signingKid, this.signingKey);
    if (previous !== undefined) this.keys.set(keyIdOf(previous), new TextEncoder().encode(previous));
  }

  async issue(userId: string, sessionId: string): Promise<IssuedToken> {
    const now = this.now();
    const expiresAt = now + this.ttlSeconds * 1000;
    const token = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: this.signingKid })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(expiresAt / 1000)
      .sign(this.signingKey);
    return { token, expiresAt };
  }

  /** The claims of a valid, unexpired token signed with a known key; null for anything else. */
  async verify(token: string): Promise<TokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, (header: JWTHeaderParameters) => this.keyOf(header), {
        algorithms: ["HS256"],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        currentDate: new Date(this.now()),
        requiredClaims: ["sub", "exp", "sid", "jti"],
      });
      const { sub, sid, exp } = payload;
      if (typeof sub !== "string" || !USER_ID_PATTERN.test(sub)) return null;
      if (typeof sid !== "string" || !SESSION_ID_PATTERN.test(sid) || typeof exp !== "number") return null;
      // jose compares whole seconds; the token's own precision is the millisecond.
      const expiresAt = Math.round(exp * 1000);
      if (expiresAt <= this.now()) return null;
      return { userId: sub, sessionId: sid, expiresAt };
    } catch {
      return null;
    }
  }

  private keyOf(header: JWTHeaderParameters): Uint8Array {
    const key = header.kid === undefined ? undefined : this.keys.get(header.kid);
    if (!key) throw new Error("unknown key id");
    return key;
  }
}
