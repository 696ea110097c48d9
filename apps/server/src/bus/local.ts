import type { Bus, BusEvent } from "./bus";

/**
 * The in-process bus of a single instance: publish calls every subscriber
 * synchronously. A throwing subscriber is isolated so that the others still run.
 */
export class LocalBus implements Bus {
  private readonly handlers: Array<(event: BusEvent) => void> = [];
  private closed = false;

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  async publish(event: BusEvent): Promise<void> {
    if (this.closed) return;
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error);
      }
    }
  }

  subscribe(handler: (event: BusEvent) => void): void {
    this.handlers.push(handler);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("bus is closed");
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.length = 0;
  }
}
