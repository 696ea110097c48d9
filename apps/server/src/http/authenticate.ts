import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { unauthorized } from "../app-error";
import type { SessionService } from "../auth/sessions";
import type { TokenClaims } from "../auth/tokens";

declare module "fastify" {
  interface FastifyInstance {
    /** The onRequest hook of 🔒 routes: `app.addHook("onRequest", app.authenticate)`. */
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    /** The authenticated user; set by `authenticate` on 🔒 routes. */
    userId: string;
    /** The token's claims (user, session, expiry); set by `authenticate` on 🔒 routes. */
    claims: TokenClaims | null;
  }
}

export interface AuthPluginOptions {
  sessions: SessionService;
}

/** `Authorization: Bearer <token>` of a live session → request.userId and request.claims, else 401. */
async function authentication(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  app.decorateRequest("userId", "");
  app.decorateRequest("claims", null);
  app.decorate("authenticate", async (request: FastifyRequest): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const claims = match?.[1] ? await options.sessions.authenticate(match[1]) : null;
    if (!claims) throw unauthorized("missing, invalid, expired or revoked token");
    request.userId = claims.userId;
    request.claims = claims;
  });
}

/** Not encapsulated: every route plugin registered after it can use `app.authenticate`. */
export const authPlugin = fp(authentication, {
  name: "mpchat-auth",
  fastify: "5.x",
  // A refusal is an AppError: the errors plugin answers it as 401 in the protocol's shape.
  dependencies: ["mpchat-errors"],
});
