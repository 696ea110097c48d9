import type { FastifyRequest } from "fastify";
import { unauthorized } from "../app-error";
import type { SessionService } from "../auth/sessions";
import type { TokenClaims } from "../auth/tokens";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated user; set by `authenticate` on 🔒 routes. */
    userId: string;
    /** The token's claims (user, session, expiry); set by `authenticate` on 🔒 routes. */
    claims: TokenClaims | null;
  }
}

/** An onRequest hook for 🔒 routes: `Authorization: Bearer <token>` of a live session → request.userId. */
export function authenticate(sessions: SessionService) {
  return async (request: FastifyRequest): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const claims = match?.[1] ? await sessions.authenticate(match[1]) : null;
    if (!claims) throw unauthorized("missing, invalid, expired or revoked token");
    request.userId = claims.userId;
    request.claims = claims;
  };
}
