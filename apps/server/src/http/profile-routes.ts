import { UpdateProfileRequestSchema, UsersQuerySchema } from "@mpchat/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ProfileService } from "../chat/profiles";
import { parseOrThrow } from "./parse";

export interface ProfileRoutesOptions {
  profiles: ProfileService;
}

/** `PATCH /v1/me` (also as `POST /v1/me`) and `GET /v1/users` (protocol 1.1). */
export async function profileRoutes(app: FastifyInstance, options: ProfileRoutesOptions): Promise<void> {
  const { profiles } = options;
  app.addHook("onRequest", app.authenticate);

  const update = async (request: FastifyRequest) => {
    const patch = parseOrThrow(UpdateProfileRequestSchema, request.body);
    return { user: await profiles.update(request.userId, patch) };
  };
  app.patch("/v1/me", update);
  // The same for clients whose HTTP has no PATCH: wx.request offers GET, POST, PUT, DELETE... but not PATCH.
  app.post("/v1/me", update);

  app.get("/v1/users", async (request) => {
    const query = parseOrThrow(UsersQuerySchema, request.query);
    return { users: await profiles.lookup(request.userId, query.ids) };
  });
}
