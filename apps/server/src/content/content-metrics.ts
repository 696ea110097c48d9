import { Counter, Histogram, type Registry } from "prom-client";
import type { ContentCheckMetrics } from "../chat/content-check";

export type CheckOutcome = "pass" | "review" | "reject" | "error" | "timeout";

/** Metrics of the content checks (names in docs/operations.md, "What to watch"). */
export class ContentMetrics implements ContentCheckMetrics {
  private readonly checks: Counter<"check" | "kind" | "outcome">;
  private readonly seconds: Histogram<"check">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.checks = new Counter({
      name: "mpchat_content_checks_total",
      help: "Content checks by checker (wordlist, wechat, webhook), kind of text and outcome (pass, review, reject, error, timeout)",
      labelNames: ["check", "kind", "outcome"],
      registers,
    });
    this.seconds = new Histogram({
      name: "mpchat_content_check_seconds",
      help: "Time a remote content check took (wechat, webhook), timeouts and errors included",
      labelNames: ["check"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }

  checked(check: string, kind: string, outcome: CheckOutcome, seconds?: number): void {
    this.checks.inc({ check, kind, outcome });
    if (seconds !== undefined) this.seconds.observe({ check }, seconds);
  }
}
