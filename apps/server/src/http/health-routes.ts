import type { FastifyInstance } from "fastify";
import type { Bus } from "../bus/bus";
import type { Store } from "../store/store";
import { sendError } from "./errors";

export interface HealthRoutesOptions {
  store: Store;
  bus: Bus;
  /** A dependency that has not answered within this time counts as down. */
  timeoutMs: number;
}

function withTimeout(task: Promise<void>, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([task, timeout]).finally(() => clearTimeout(timer));
}

/** /healthz: the process serves. /readyz: the store and the bus answer too. */
export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (request, reply) => {
    try {
      await Promise.all([
        withTimeout(options.store.ping(), options.timeoutMs, "store"),
        withTimeout(options.bus.ping(), options.timeoutMs, "bus"),
      ]);
      return { status: "ready" };
    } catch (error) {
      request.log.warn({ err: error }, "not ready");
      return sendError(reply, "unavailable", `not ready: ${(error as Error).message}`);
    }
  });
}
