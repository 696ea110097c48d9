/** A typed event emitter. A throwing handler does not stop the others or the client. */
export class Emitter<Events extends object> {
  private readonly handlers: { [K in keyof Events]?: Array<(payload: Events[K]) => void> } = {};

  on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): () => void {
    const list = this.handlers[event] ?? [];
    this.handlers[event] = list;
    list.push(handler);
    return () => {
      const current = this.handlers[event];
      if (current) this.handlers[event] = current.filter((h) => h !== handler);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const list = this.handlers[event];
    if (!list) return;
    // Copy: a handler may unsubscribe (itself or another) while we iterate.
    for (const handler of list.slice()) {
      try {
        handler(payload);
      } catch (error) {
        reportHandlerError(error);
      }
    }
  }
}

declare const console: { error(...args: unknown[]): void } | undefined;

function reportHandlerError(error: unknown): void {
  if (typeof console !== "undefined") console.error("mpchat: event handler threw", error);
}
