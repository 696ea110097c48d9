import type { FastifyRequest } from "fastify";
import type { TokenService } from "../auth/tokens";
import { ChatError } from "../chat/errors";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated user; set by `authenticate` on 🔒 routes. */
    userId: string;
  }
}

/** An onRequest hook for 🔒 routes: `Authorization: Bearer <token>` → request.userId. */
export function authenticate(tokens: TokenService) {
  return async (request: FastifyRequest): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    const userId = match?.[1] ? await tokens.verify(match[1]) : null;
    if (!userId) throw new ChatError("unauthorized", "missing, invalid or expired token");
    request.userId = userId;
  };
}
