import { Counter, type Registry } from "prom-client";

/** How a notice attempt ended: sent; refused (43101, credits zeroed); failed (another errcode); unavailable (WeChat unreachable). */
export type NoticeResult = "sent" | "refused" | "failed" | "unavailable";

/** The metrics of offline notices (names in docs/operations.md, "What to watch"). */
export class NoticeMetrics {
  private readonly notices: Counter<"result">;

  constructor(registry: Registry) {
    this.notices = new Counter({
      name: "mpchat_notices_total",
      help: "Offline notices (WeChat subscribe messages) this instance tried to send, by result (sent, refused, failed, unavailable)",
      labelNames: ["result"],
      registers: [registry],
    });
  }

  counted(result: NoticeResult): void {
    this.notices.inc({ result });
  }
}
