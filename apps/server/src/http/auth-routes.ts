import { DevLoginRequestSchema, EmptyRequestSchema, WechatLoginRequestSchema } from "@mpchat/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { LoginService } from "../auth/login";
import type { SessionService } from "../auth/sessions";
import type { TokenClaims } from "../auth/tokens";
import { parseOrThrow } from "./parse";

export interface AuthRoutesOptions {
  login: LoginService;
  sessions: SessionService;
  /** When false, POST /v1/auth/dev does not exist (404). */
  devLogin: boolean;
}

function claimsOf(request: FastifyRequest): TokenClaims {
  // Set by the authenticate hook, which refuses the request otherwise.
  return request.claims as TokenClaims;
}

export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  if (options.devLogin) {
    app.post("/v1/auth/dev", async (request) => {
      const body = parseOrThrow(DevLoginRequestSchema, request.body);
      return options.login.devLogin(body.userId, body.name);
    });
  }

  app.post("/v1/auth/wechat", async (request) => {
    const body = parseOrThrow(WechatLoginRequestSchema, request.body);
    return options.login.wechatLogin(body.code);
  });

  /** A new token of the caller's session, with a full lifetime. */
  app.post("/v1/auth/refresh", { onRequest: app.authenticate }, async (request) => {
    parseOrThrow(EmptyRequestSchema, request.body);
    return options.sessions.refresh(claimsOf(request));
  });

  /** Ends the caller's session: its tokens are refused and its sockets closed (4401), on every instance. */
  app.post("/v1/auth/logout", { onRequest: app.authenticate }, async (request, reply) => {
    parseOrThrow(EmptyRequestSchema, request.body);
    await options.sessions.end(claimsOf(request));
    return reply.code(204).send();
  });
}
