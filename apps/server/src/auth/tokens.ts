import { USER_ID_PATTERN } from "@mpchat/protocol";
import { jwtVerify, SignJWT } from "jose";

/** Access tokens: HS256 JWTs whose `sub` is the user id. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
  }

  /** The user id of a valid, unexpired token; null for anything else. */
  async verify(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        currentDate: new Date(this.now()),
        requiredClaims: ["sub", "exp"],
      });
      return typeof payload.sub === "string" && USER_ID_PATTERN.test(payload.sub) ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
