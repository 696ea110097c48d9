import { DevLoginRequestSchema, WechatLoginRequestSchema } from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import type { LoginService } from "../auth/login";
import { parseOrThrow } from "./parse";

export interface AuthRoutesOptions {
  login: LoginService;
  /** When false, POST /v1/auth/dev does not exist (404). */
  devLogin: boolean;
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
}
