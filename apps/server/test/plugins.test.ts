import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import type { SessionService } from "../src/auth/sessions";
import type { Gateway } from "../src/gateway/gateway";
import { gatewayPlugin } from "../src/gateway/route";
import { authPlugin } from "../src/http/authenticate";
import { errorsPlugin } from "../src/http/errors";
import { rateLimitsPlugin } from "../src/http/rate-limits";

// Never called: these tests only register the plugins (and answer one request without a token).
const sessions = { authenticate: async () => null } as unknown as SessionService;
const gateway = {} as Gateway;
const gatewayOptions = { gateway, maxFrameBytes: 1024, onClose: async () => {} };

describe("the cross-cutting plugins", () => {
  it("refuse to load without the plugins they depend on", async () => {
    const cases = [
      { name: "auth", register: (app: ReturnType<typeof Fastify>) => app.register(authPlugin, { sessions }) },
      { name: "gateway", register: (app: ReturnType<typeof Fastify>) => app.register(gatewayPlugin, gatewayOptions) },
    ];
    for (const { name, register } of cases) {
      const app = Fastify();
      await expect(register(app), name).rejects.toThrow(/mpchat-errors/);
      await app.close();
    }
  });

  it("load the rate limits only after auth, whose request.userId they key on", async () => {
    const app = Fastify();
    await app.register(errorsPlugin);
    const limits = { loginPerMinute: 10, requestsPerMinute: 10, prefix: "test:" };
    await expect(app.register(rateLimitsPlugin, limits)).rejects.toThrow(/mpchat-auth/);
    await app.close();
  });

  it("decorate the root when their dependencies came first", async () => {
    const app = Fastify();
    await app.register(errorsPlugin);
    await app.register(authPlugin, { sessions });
    await app.register(gatewayPlugin, gatewayOptions);
    await app.register(async (routes) => {
      routes.addHook("onRequest", routes.authenticate);
      routes.get("/locked", async () => "open");
    });
    expect(app.gateway).toBe(gateway);
    const answer = await app.inject({ method: "GET", url: "/locked" });
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: "unauthorized" } });
    await app.close();
  });
});
