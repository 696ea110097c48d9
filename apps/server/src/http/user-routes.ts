import type { FastifyInstance } from "fastify";
import { unauthorized } from "../app-error";
import { toUser } from "../chat/user-view";
import type { Store } from "../store/store";

export async function userRoutes(app: FastifyInstance, options: { store: Store }): Promise<void> {
  app.addHook("onRequest", app.authenticate);

  app.get("/v1/me", async (request) => {
    const user = await options.store.getUser(request.userId);
    if (!user) throw unauthorized("the user of this token no longer exists");
    return { user: toUser(user) };
  });
}
