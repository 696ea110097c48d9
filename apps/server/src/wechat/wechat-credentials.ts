import { WeChatUnavailableError } from "../auth/wechat-api";
import { type CachedToken, localTokenCoordinator, type TokenCoordinator } from "./token-coordinator";
import { errcodeOf, postWeChatJson, type WeChatAnswer } from "./wechat-http";
import type { TokenFetchReason, WeChatMetrics } from "./wechat-metrics";

/** WeChat answered a call with an errcode (not 0). */
export class WeChatCallError extends WeChatUnavailableError {
  override name = "WeChatCallError";
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

/** 40001 invalid credential, 42001 access_token expired: fetch a new token and try once more. */
const STALE_TOKEN_ERRCODES: readonly number[] = [40001, 42001];

/** Fetch a new token this long before the old one expires (WeChat overlaps them for 5 minutes). */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export interface WeChatCredentialsOptions {
  appId: string;
  secret: string;
  /** e.g. https://api.weixin.qq.com, without a trailing slash (WECHAT_API_BASE). */
  baseUrl: string;
  timeoutMs: number;
  now: () => number;
  metrics: WeChatMetrics;
  /** Default: this instance alone. With Redis: RedisTokenCoordinator. */
  coordinator?: TokenCoordinator;
  refreshMarginMs?: number;
}

/**
 * The one access_token of the AppID, for every server-side WeChat call
 * (msg_sec_check, media_check_async, subscribe/send, …): fetched with
 * `stable_token`, kept in memory, refreshed before it expires, and once more
 * when WeChat calls it invalid (40001) or expired (42001). Concurrent callers on
 * an instance share one fetch; instances share one token through the coordinator.
 */
export class WeChatCredentials {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly coordinator: TokenCoordinator;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: WeChatCredentialsOptions) {
    this.coordinator = options.coordinator ?? localTokenCoordinator;
    this.refreshMarginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  get appId(): string {
    return this.options.appId;
  }

  /** A valid access_token (from memory when it is not due for refresh). */
  async accessToken(): Promise<string> {
    const cached = this.cached;
    if (cached && this.usable(cached)) return cached.token;
    return (await this.obtain(cached ? "expiring" : "empty", undefined)).token;
  }

  /**
   * POSTs `body` to `api` (a path such as `/wxa/msg_sec_check`) with the token,
   * fetching a fresh token and retrying once when WeChat says it is stale.
   * Resolves with WeChat's answer when its errcode is 0; throws WeChatCallError
   * for another errcode and WeChatUnavailableError when WeChat is not reachable.
   */
  async post(api: string, body: object): Promise<WeChatAnswer> {
    let token = await this.accessToken();
    let answer = await this.call(api, token, body);
    if (STALE_TOKEN_ERRCODES.includes(errcodeOf(answer))) {
      token = (await this.obtain("invalid", token)).token;
      answer = await this.call(api, token, body);
    }
    const errcode = errcodeOf(answer);
    this.options.metrics.called(api, errcode === 0 ? "ok" : "errcode");
    if (errcode !== 0) throw new WeChatCallError(errcode, describe(answer, `${api} failed`));
    return answer;
  }

  private async call(api: string, token: string, body: object): Promise<WeChatAnswer> {
    const url = new URL(`${this.options.baseUrl}${api}`);
    url.searchParams.set("access_token", token);
    try {
      return await postWeChatJson(url, body, this.options.timeoutMs);
    } catch (error) {
      this.options.metrics.called(api, "unavailable");
      throw error;
    }
  }

  /** One fetch at a time on this instance; `stale` (if any) is the token WeChat refused. */
  private obtain(reason: TokenFetchReason, stale: string | undefined): Promise<CachedToken> {
    if (stale !== undefined && this.cached?.token === stale) this.cached = undefined;
    if (this.inFlight) return this.inFlight;
    const usable = (token: CachedToken) => token.token !== stale && this.usable(token);
    // Another caller's refresh (after the same refusal) may have finished already.
    if (this.cached && usable(this.cached)) return Promise.resolve(this.cached);
    const flight = this.coordinator
      .refreshAlone(usable, () => this.fetchStable(reason, stale))
      .then((token) => {
        this.cached = token;
        return token;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = flight;
    return flight;
  }

  /** stable_token in normal mode; forced only when normal mode hands back the token WeChat just refused. */
  private async fetchStable(reason: TokenFetchReason, stale: string | undefined): Promise<CachedToken> {
    let token = await this.stableToken(reason, false);
    if (stale !== undefined && token.token === stale) token = await this.stableToken(reason, true);
    return token;
  }

  private async stableToken(reason: TokenFetchReason, forceRefresh: boolean): Promise<CachedToken> {
    const { appId, secret, baseUrl, timeoutMs, now, metrics } = this.options;
    const body = {
      grant_type: "client_credential",
      appid: appId,
      secret,
      ...(forceRefresh ? { force_refresh: true } : {}),
    };
    let answer: WeChatAnswer;
    try {
      answer = await postWeChatJson(new URL(`${baseUrl}/cgi-bin/stable_token`), body, timeoutMs);
    } catch (error) {
      metrics.tokenFetched(reason, false);
      throw error;
    }
    const { access_token: token, expires_in: expiresIn } = answer;
    if (errcodeOf(answer) !== 0 || typeof token !== "string" || typeof expiresIn !== "number" || expiresIn <= 0) {
      metrics.tokenFetched(reason, false);
      throw new WeChatCallError(errcodeOf(answer), describe(answer, "stable_token answered without a token"));
    }
    metrics.tokenFetched(reason, true);
    const lifetimeMs = expiresIn * 1000;
    const at = now();
    // Short lifetimes (tests, the last minutes of a token) refresh at half-life instead.
    const refreshIn = Math.max(lifetimeMs - this.refreshMarginMs, lifetimeMs / 2);
    return { token, expiresAt: at + lifetimeMs, refreshAt: at + refreshIn };
  }

  private usable(token: CachedToken): boolean {
    return this.options.now() < token.refreshAt;
  }
}

function describe(answer: WeChatAnswer, fallback: string): string {
  const errmsg = typeof answer.errmsg === "string" ? answer.errmsg : fallback;
  return `WeChat errcode ${errcodeOf(answer)}: ${errmsg}`;
}
