import type { Bus, BusEvent } from "../bus/bus";
import type { AppMetrics } from "./app-metrics";

/** A bus that counts what is published (ok or error) and what this instance receives. */
export class MeasuredBus implements Bus {
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
    this.inner.subscribe((event) => {
      this.metrics.busReceive(event.type);
      handler(event);
    });
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
