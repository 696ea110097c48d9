import type { Bus, BusEvent } from "../bus/bus";
import type { AppMetrics } from "./app-metrics";

/** A bus that counts what is published (ok or error) and what this instance receives (once per event). */
export class MeasuredBus implements Bus {
  private readonly handlers: Array<(event: BusEvent) => void> = [];

  constructor(
    private readonly inner: Bus,
    private readonly metrics: AppMetrics,
  ) {}

  async publish(event: BusEvent): Promise<void> {
    try {
      await this.inner.publish(event);
      this.metrics.busPublish(event.type, true);
    } catch (error) {
      this.metrics.busPublish(event.type, false);
      throw error;
    }
  }

  subscribe(handler: (event: BusEvent) => void): void {
    // One subscription to the inner bus, so that an event counts once however many handlers hear it.
    if (this.handlers.length === 0) {
      this.inner.subscribe((event) => {
        this.metrics.busReceive(event.type);
        // Every handler runs even if one throws; the inner bus logs the (first) failure.
        let failure: { error: unknown } | undefined;
        for (const each of this.handlers) {
          try {
            each(event);
          } catch (error) {
            failure ??= { error };
          }
        }
        if (failure) throw failure.error;
      });
    }
    this.handlers.push(handler);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
