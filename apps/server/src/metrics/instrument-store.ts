import type { Store } from "../store/store";
import type { AppMetrics } from "./app-metrics";

/**
 * The store as the GroupCommitter sees it, with every `appendMessages` call (one
 * group-commit transaction) measured: batch size, duration, messages stored.
 * Every other method is the store's own, bound to it.
 */
export function measureAppends(store: Store, metrics: AppMetrics): Store {
  const appendMessages: Store["appendMessages"] = async (batch) => {
    const started = performance.now();
    try {
      const results = await store.appendMessages(batch);
      const stored = results.filter((result) => result.status === "stored").length;
      metrics.batchCommitted(batch.length, stored, (performance.now() - started) / 1000);
      return results;
    } catch (error) {
      metrics.batchFailed();
      throw error;
    }
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === "appendMessages") return appendMessages;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
