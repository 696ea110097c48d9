import { type AuthResponse, ChatError, type HttpClient, RestApi } from "@mpchat/client";
import { AuthResponseSchema, parseWith } from "@mpchat/protocol";
import type { ServerAddress } from "../config";
import { LoginError } from "./login-error";
import type { Platform } from "./platform";

const TIMEOUT_MS = 10_000;

/** Logging in: dev login (when the server has it) and WeChat login. Both end with our own token. */
export class AuthService {
  private readonly rest: RestApi;

  constructor(
    private readonly platform: Platform,
    private readonly http: HttpClient,
    private readonly server: ServerAddress,
  ) {
    this.rest = new RestApi({ httpBase: server.http, http, timeoutMs: TIMEOUT_MS });
  }

  /**
   * Whether the server offers dev login. The route exists only while it is on, so an empty body
   * answers 400 (the route is there and refused the body) when on and 404 when off.
   */
  async devLoginAvailable(): Promise<boolean> {
    const response = await this.http.request({
      method: "POST",
      url: `${this.server.http}/v1/auth/dev`,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: "{}",
      timeoutMs: TIMEOUT_MS,
    });
    return response.status !== 404;
  }

  async devLogin(userId: string, name?: string): Promise<AuthResponse> {
    try {
      return await this.rest.devLogin(userId, name);
    } catch (error) {
      if (error instanceof ChatError) throw new LoginError(error.code, error.message);
      throw error;
    }
  }

  /** wx.login → a one-time code → POST /v1/auth/wechat; the server exchanges it with WeChat. */
  async wechatLogin(): Promise<AuthResponse> {
    const code = await this.wxLoginCode();
    let response: { status: number; body: string };
    try {
      response = await this.http.request({
        method: "POST",
        url: `${this.server.http}/v1/auth/wechat`,
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ code }),
        timeoutMs: TIMEOUT_MS,
      });
    } catch (error) {
      throw new LoginError("network", error instanceof Error ? error.message : String(error));
    }
    const json = parseJson(response.body);
    if (response.status >= 200 && response.status < 300) {
      const parsed = parseWith(AuthResponseSchema, json);
      if (parsed.ok) return parsed.value;
      throw new LoginError("internal", "unexpected answer from /v1/auth/wechat");
    }
    throw loginErrorOf(response.status, json);
  }

  private wxLoginCode(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.platform.login({
        success: (result) =>
          result.code ? resolve(result.code) : reject(new LoginError("wechat_login", "wx.login gave no code")),
        fail: (error) => reject(new LoginError("wechat_login", error.errMsg)),
      });
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * Reads `{ error: { code, message, wechatErrcode? } }`. The errcode is looked for next to the code
 * and under `details`, so that either way the server nests it, the page can name the reason.
 */
function loginErrorOf(status: number, json: unknown): LoginError {
  const error = asRecord(asRecord(json)?.error);
  const code = typeof error?.code === "string" ? error.code : status === 401 ? "unauthorized" : "internal";
  const message = typeof error?.message === "string" ? error.message : `HTTP ${status}`;
  const details = asRecord(error?.details);
  const errcode = [error?.wechatErrcode, details?.wechatErrcode, error?.errcode].find((v) => typeof v === "number");
  return new LoginError(code, message, errcode as number | undefined);
}
