import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The endpoints the fake serves. */
export type FakeApi = "jscode2session" | "stable_token" | "msg_sec_check" | "subscribe_send" | "media_check_async";

/** How an endpoint fails on command: a WeChat errcode, an HTTP status, or no answer at all. */
export type FakeFailure = { errcode: number; errmsg?: string } | { status: number } | "hang";

export type Suggest = "pass" | "review" | "risky";

export interface FakeCall {
  api: FakeApi;
  /** The access_token of the query (WeChat's calls but stable_token and jscode2session). */
  accessToken: string | null;
  /** The JSON body (POST endpoints). */
  body: Record<string, unknown>;
  /** media_check_async: the trace_id answered. */
  traceId?: string;
}

/** media_check_async: what fetching `media_url` gave (as WeChat fetches the media to check it). */
export interface FakeFetch {
  url: string;
  status: number;
  bytes: number;
  contentType: string | null;
}

export interface FakeWeChatOptions {
  /** msg_sec_check: a content containing a key gets its verdict (the first match in insertion order). */
  words?: Record<string, Suggest>;
  /** msg_sec_check: a content containing a key is answered only after that many ms (a slow check). */
  slowWords?: Record<string, number>;
  /** stable_token's expires_in in seconds (default 7200). */
  expiresIn?: number;
  /** media_check_async: fetch each media_url after answering (default true). */
  fetchMedia?: boolean;
}

export interface FakeWeChat {
  baseUrl: string;
  /** Query strings of every jscode2session call received. */
  calls: URLSearchParams[];
  /** Every call of the other endpoints, in arrival order. */
  log: FakeCall[];
  /** How many calls `api` received. */
  count(api: FakeApi): number;
  /** msg_sec_check: the verdict for a content containing `word` (added after the given ones). */
  words: Map<string, Suggest>;
  /** From now on `api` fails this way (`times` calls, default all) until `heal`. */
  fail(api: FakeApi, failure: FakeFailure, times?: number): void;
  heal(api: FakeApi): void;
  /** The current token becomes invalid (as another fetch with /cgi-bin/token would make it): next use gets 40001. */
  revokeToken(): void;
  /** The token stable_token hands out now (undefined before the first fetch or after a revoke). */
  readonly currentToken: string | undefined;
  /** media_check_async: every fetch of a media_url, in order (`fetchMedia: false` turns them off). */
  fetches: FakeFetch[];
  /** Resolves on the next fetch of a media_url. */
  nextFetch(): Promise<FakeFetch>;
  /** Resolves on the next call of `api` (counting from now). */
  nextCall(api: FakeApi): Promise<FakeCall>;
  close(): Promise<void>;
}

/**
 * A fake `api.weixin.qq.com` on 127.0.0.1:
 * - `/sns/jscode2session`: `answers` maps a js_code to the JSON body to send (as
 *   WeChat does, labelled text/plain). Unknown codes never answer (to test the client's timeout).
 * - `/cgi-bin/stable_token`: one token per AppID, the same while valid (normal
 *   mode), a new one with `force_refresh` or after `revokeToken`.
 * - `/wxa/msg_sec_check`: 40001 for any token but the current one; else the
 *   verdict of the first word of `words` the content contains, `pass` otherwise.
 * - `/cgi-bin/message/subscribe/send`: 40001 likewise; 47003 when a `data` value
 *   breaks its field's rule (`subscribeFieldError`), else `{errcode: 0}`. Fail
 *   it with `{ errcode: 43101 }` for a user without an acceptance.
 * - `/wxa/media_check_async`: 40001 as above; else a fresh `trace_id` (also on the
 *   logged call), then it fetches `media_url` as WeChat would (`fetches`). The
 *   verdict is the test's to push (`POST /v1/wechat/events`, support/wechat-push.ts).
 * Every endpoint counts its calls and fails on command (`fail`).
 */
export async function startFakeWeChat(
  answers: Record<string, object> = {},
  options: FakeWeChatOptions = {},
): Promise<FakeWeChat> {
  const calls: URLSearchParams[] = [];
  const log: FakeCall[] = [];
  const words = new Map<string, Suggest>(Object.entries(options.words ?? {}));
  const failures = new Map<FakeApi, { failure: FakeFailure; left: number }>();
  const events = new EventEmitter();
  const fetches: FakeFetch[] = [];
  const fetchMedia = async (url: string) => {
    let fetched: FakeFetch;
    try {
      const response = await fetch(url);
      const bytes = (await response.arrayBuffer()).byteLength;
      fetched = { url, status: response.status, bytes, contentType: response.headers.get("content-type") };
    } catch {
      fetched = { url, status: 0, bytes: 0, contentType: null };
    }
    fetches.push(fetched);
    events.emit("fetch", fetched);
  };
  let token: string | undefined;
  const issue = () => {
    token = `token-${randomBytes(12).toString("hex")}`;
    return token;
  };

  const failed = (api: FakeApi, response: ServerResponse): boolean => {
    const entry = failures.get(api);
    if (!entry) return false;
    if (--entry.left <= 0) failures.delete(api);
    const { failure } = entry;
    if (failure === "hang") return true; // never answered: the caller must give up on its own
    if ("status" in failure) response.writeHead(failure.status).end("fake failure");
    else send(response, { errcode: failure.errcode, errmsg: failure.errmsg ?? "fake failure" });
    return true;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const api = API_OF_PATH[url.pathname];
    if (!api) {
      response.writeHead(404).end();
      return;
    }
    if (api === "jscode2session") {
      calls.push(url.searchParams);
      events.emit(api, { api, accessToken: null, body: {} });
      if (failed(api, response)) return;
      const answer = answers[url.searchParams.get("js_code") ?? ""];
      if (!answer) return;
      send(response, answer);
      return;
    }
    const body = await readJson(request);
    const call: FakeCall = { api, accessToken: url.searchParams.get("access_token"), body };
    if (api === "media_check_async") call.traceId = `trace-${randomBytes(8).toString("hex")}`;
    log.push(call);
    events.emit(api, call);
    if (failed(api, response)) return;
    if (api === "stable_token") {
      const current = token !== undefined && body.force_refresh !== true ? token : issue();
      send(response, { access_token: current, expires_in: options.expiresIn ?? 7200 });
      return;
    }
    if (call.accessToken === null || call.accessToken !== token) {
      send(response, { errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" });
      return;
    }
    if (api === "subscribe_send") {
      const broken = subscribeFieldError(body.data);
      send(
        response,
        broken
          ? { errcode: 47003, errmsg: `argument invalid! ${broken}` }
          : { errcode: 0, errmsg: "ok", msgid: Date.now() },
      );
      return;
    }
    if (api === "media_check_async") {
      send(response, { errcode: 0, errmsg: "ok", trace_id: call.traceId });
      if (options.fetchMedia !== false && typeof body.media_url === "string") void fetchMedia(body.media_url);
      return;
    }
    const content = typeof body.content === "string" ? body.content : "";
    let suggest: Suggest = "pass";
    for (const [word, verdict] of words) {
      if (content.includes(word)) {
        suggest = verdict;
        break;
      }
    }
    const delay = Object.entries(options.slowWords ?? {}).find(([word]) => content.includes(word))?.[1];
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    send(response, {
      errcode: 0,
      errmsg: "ok",
      result: { suggest, label: suggest === "pass" ? 100 : 20001 },
      detail: [],
      trace_id: randomBytes(8).toString("hex"),
    });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    log,
    words,
    count: (api) => (api === "jscode2session" ? calls.length : log.filter((call) => call.api === api).length),
    fail: (api, failure, times = Number.POSITIVE_INFINITY) => failures.set(api, { failure, left: times }),
    heal: (api) => failures.delete(api),
    revokeToken: () => {
      token = undefined;
    },
    get currentToken() {
      return token;
    },
    fetches,
    nextFetch: () => new Promise((resolve) => events.once("fetch", resolve)),
    nextCall: (api) => new Promise((resolve) => events.once(api, resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const API_OF_PATH: Record<string, FakeApi> = {
  "/sns/jscode2session": "jscode2session",
  "/cgi-bin/stable_token": "stable_token",
  "/wxa/msg_sec_check": "msg_sec_check",
  "/cgi-bin/message/subscribe/send": "subscribe_send",
  "/wxa/media_check_async": "media_check_async",
};

/** What WeChat answers 47003 for, by the key's kind: the rule a value breaks, or undefined when all pass. */
export function subscribeFieldError(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return "data must be an object";
  for (const [key, entry] of Object.entries(data)) {
    const value = (entry as { value?: unknown } | null)?.value;
    if (typeof value !== "string" || value === "") return `${key}: value must be a non-empty string`;
    const length = Array.from(value).length;
    const kind = /^([a-z_]+?)\d+$/.exec(key)?.[1];
    const rules: Record<string, (v: string) => boolean> = {
      thing: () => length <= 20,
      short_thing: () => length <= 5,
      name: () => length <= 10,
      phrase: () => length <= 5 && /^\p{Script=Han}+$/u.test(value),
      number: (v) => length <= 32 && /^\d+(\.\d+)?$/.test(v),
      character_string: (v) => length <= 32 && /^[\x21-\x7e]+$/.test(v),
      time: (v) => /^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{2}:\d{2}$/.test(v),
      date: (v) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(v),
    };
    const rule = kind === undefined ? undefined : rules[kind];
    if (!rule) return `${key}: unknown field kind`;
    if (!rule(value)) return `${key}: ${JSON.stringify(value)} breaks the ${kind} rule`;
  }
  return undefined;
}

function send(response: ServerResponse, body: object): void {
  response.writeHead(200, { "content-type": "text/plain" }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}
