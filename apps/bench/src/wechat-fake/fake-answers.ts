/**
 * What the bench's fake WeChat answers, as plain data (the HTTP part is
 * fake-wechat-server.ts). Only the calls mpchat makes with WeChat credentials
 * and CONTENT_CHECK=wechat: `jscode2session` at login, `stable_token` for the
 * access_token, `msg_sec_check` per text. The answers are shaped like the real
 * ones (apps/server/src/wechat/, src/auth/wechat-api.ts, src/content/).
 */

/** The endpoints counted; `other` is any path mpchat was not expected to call. */
export type FakeApi = "jscode2session" | "stable_token" | "msg_sec_check" | "other";

export const FAKE_APIS: readonly FakeApi[] = ["jscode2session", "stable_token", "msg_sec_check", "other"];

/** The one access_token the fake hands out (never expires within a run). */
export const FAKE_ACCESS_TOKEN = "bench-access-token";

const CODE_PREFIX = "bench-code-";

/** The `wx.login` code the fake exchanges for `openid`. */
export function loginCodeFor(openid: string): string {
  return `${CODE_PREFIX}${openid}`;
}

const API_OF_PATH: Readonly<Record<string, FakeApi>> = {
  "/sns/jscode2session": "jscode2session",
  "/cgi-bin/stable_token": "stable_token",
  "/wxa/msg_sec_check": "msg_sec_check",
};

export function apiOfPath(pathname: string): FakeApi {
  return API_OF_PATH[pathname] ?? "other";
}

/** WeChat's answer to one call; `query` is the URL's, `body` the parsed JSON (empty for GETs). */
export function fakeAnswer(api: FakeApi, query: URLSearchParams, body: Record<string, unknown>): object {
  switch (api) {
    case "jscode2session": {
      const code = query.get("js_code") ?? "";
      if (!code.startsWith(CODE_PREFIX) || code.length === CODE_PREFIX.length)
        return { errcode: 40029, errmsg: "invalid code" };
      return { openid: code.slice(CODE_PREFIX.length), session_key: "bench-session-key" };
    }
    case "stable_token":
      return { access_token: FAKE_ACCESS_TOKEN, expires_in: 7200 };
    case "msg_sec_check":
      if (query.get("access_token") !== FAKE_ACCESS_TOKEN)
        return { errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" };
      if (typeof body.content !== "string" || typeof body.openid !== "string")
        return { errcode: 47001, errmsg: "data format error" };
      return { errcode: 0, errmsg: "ok", result: { suggest: "pass", label: 100 }, detail: [], trace_id: "bench" };
    case "other":
      return { errcode: 0, errmsg: "ok" };
  }
}
