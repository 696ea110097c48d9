import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Bus } from "../bus/bus";
import type { Store } from "../store/store";

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

export type DependencyState = "up" | "down";

/** Whether a dependency answered in time. Why not is logged, never answered: driver text names hosts and users. */
export async function probe(
  task: () => Promise<void>,
  timeoutMs: number,
  what: string,
  log: FastifyBaseLogger,
): Promise<DependencyState> {
  try {
    await withTimeout(task(), timeoutMs, what);
    return "up";
  } catch (error) {
    log.warn({ err: error, dependency: what }, "not ready");
    return "down";
  }
}

/**
 * /healthz: the process serves. /readyz: the store and the bus answer too; the body
 * says which is down (`{ status, store, bus }`), the 503 also carries the usual error.
 */
export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (request, reply) => {
    const [store, bus] = await Promise.all([
      probe(() => options.store.ping(), options.timeoutMs, "store", request.log),
      probe(() => options.bus.ping(), options.timeoutMs, "bus", request.log),
    ]);
    if (store === "up" && bus === "up") return { status: "ready", store, bus };
    const down = [store === "down" ? "store" : "", bus === "down" ? "bus" : ""].filter(Boolean).join(" and ");
    return reply.code(503).send({
      status: "unavailable",
      store,
      bus,
      error: { code: "unavailable", message: `not ready: ${down} down` },
    });
  });
}
