import type { BusEvent } from "../bus/bus";
import type { ChatDeps } from "./deps";

/**
 * Publishes after a commit. A bus failure must not fail a request whose data is
 * already stored: receivers recover through `sync`, so it is logged, not thrown.
 */
export async function publishQuietly(deps: Pick<ChatDeps, "bus" | "log">, event: BusEvent): Promise<void> {
  try {
    await deps.bus.publish(event);
  } catch (error) {
    deps.log.error({ err: error, eventType: event.type }, "bus publish failed");
  }
}
