/**
 * The WeChat port: only what login needs. The HTTP adapter calls the real
 * `jscode2session` endpoint; tests point WECHAT_API_BASE at a fake server.
 */
export interface WeChatSession {
  openid: string;
  /** Secret shared with WeChat for this login; it never leaves the server. */
  sessionKey: string;
  unionid?: string;
}

export interface WeChatApi {
  /** Exchanges a `wx.login` code; throws WeChatLoginError or WeChatUnavailableError. */
  code2Session(code: string): Promise<WeChatSession>;
}

/** WeChat refused the code (e.g. 40029 invalid code, 40163 code already used). */
export class WeChatLoginError extends Error {
  override name = "WeChatLoginError";
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

/** WeChat could not be reached or answered nonsense: retry later. */
export class WeChatUnavailableError extends Error {
  override name = "WeChatUnavailableError";
}

export interface HttpWeChatApiOptions {
  appId: string;
  secret: string;
  /** e.g. https://api.weixin.qq.com, without a trailing slash. */
  baseUrl: string;
  timeoutMs: number;
}

interface Code2SessionAnswer {
  openid?: unknown;
  session_key?: unknown;
  unionid?: unknown;
  errcode?: unknown;
  errmsg?: unknown;
}

export class HttpWeChatApi implements WeChatApi {
  constructor(private readonly options: HttpWeChatApiOptions) {}

  async code2Session(code: string): Promise<WeChatSession> {
    const url = new URL(`${this.options.baseUrl}/sns/jscode2session`);
    url.search = new URLSearchParams({
      appid: this.options.appId,
      secret: this.options.secret,
      js_code: code,
      grant_type: "authorization_code",
    }).toString();
    const answer = await this.fetchJson(url);
    const errcode = typeof answer.errcode === "number" ? answer.errcode : 0;
    if (errcode !== 0) {
      const errmsg = typeof answer.errmsg === "string" ? answer.errmsg : "WeChat refused the code";
      throw new WeChatLoginError(errcode, errmsg);
    }
    if (typeof answer.openid !== "string" || typeof answer.session_key !== "string") {
      throw new WeChatUnavailableError("WeChat answered without openid or session_key");
    }
    const session: WeChatSession = { openid: answer.openid, sessionKey: answer.session_key };
    if (typeof answer.unionid === "string") session.unionid = answer.unionid;
    return session;
  }

  private async fetchJson(url: URL): Promise<Code2SessionAnswer> {
    let text: string;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
      text = await response.text();
      if (!response.ok) throw new WeChatUnavailableError(`WeChat answered HTTP ${response.status}`);
    } catch (error) {
      if (error instanceof WeChatUnavailableError) throw error;
      throw new WeChatUnavailableError(`WeChat could not be reached: ${(error as Error).message}`);
    }
    // WeChat sends JSON labelled text/plain, so parse the text rather than trust the header.
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null) return parsed as Code2SessionAnswer;
    } catch {
      // fall through
    }
    throw new WeChatUnavailableError("WeChat answered something that is not a JSON object");
  }
}
