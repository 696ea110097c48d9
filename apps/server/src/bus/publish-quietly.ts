import type { Bus, BusEvent } from "./bus";

/** The part of a pino logger a quiet publish uses. */
export interface PublishLogger {
  error(obj: object, msg: string): void;
}

/**
 * Publishes after a commit. A bus failure must not fail a request whose data is
 * already stored: receivers recover through `sync`, so it is logged, not thrown.
 */
export async function publishQuietly(deps: { bus: Bus; log: PublishLogger }, event: BusEvent): Promise<void> {
  try {
    await deps.bus.publish(event);
  } catch (error) {
    deps.log.error({ err: error, eventType: event.type }, "bus publish failed");
  }
}
