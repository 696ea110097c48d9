import { Counter, type Registry } from "prom-client";

export type TokenFetchReason = "empty" | "expiring" | "invalid";

/** The metrics of the server-side WeChat calls (names in docs/operations.md, "What to watch"). */
export class WeChatMetrics {
  private readonly fetches: Counter<"reason" | "result">;
  private readonly calls: Counter<"api" | "result">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.fetches = new Counter({
      name: "mpchat_wechat_token_fetches_total",
      help: "stable_token calls made by this instance, by why (empty, expiring, invalid) and result (ok, failed)",
      labelNames: ["reason", "result"],
      registers,
    });
    this.calls = new Counter({
      name: "mpchat_wechat_calls_total",
      help: "WeChat API calls made with the access_token, by api path and result (ok, errcode, unavailable)",
      labelNames: ["api", "result"],
      registers,
    });
  }

  tokenFetched(reason: TokenFetchReason, ok: boolean): void {
    this.fetches.inc({ reason, result: ok ? "ok" : "failed" });
  }

  called(api: string, result: "ok" | "errcode" | "unavailable"): void {
    this.calls.inc({ api, result });
  }
}
