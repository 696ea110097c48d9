import { ErrorBodySchema, type ParseResult, parseWith } from "@mpchat/protocol";
import { ChatError } from "./errors";
import type { HttpClient, HttpRequest, HttpResponse } from "./ports/http";
import type { Timers } from "./ports/timers";

/**
 * One JSON request over the HttpClient port: the bearer token, a timeout the
 * adapter may not enforce, the answer checked by its schema, a non-2xx answer
 * as the server's ChatError. RestApi is built on it.
 */
export class JsonHttp {
  constructor(
    private readonly options: {
      base: string;
      http: HttpClient;
      getToken?: (() => string | Promise<string>) | undefined;
      timers: Timers;
      timeoutMs: number;
    },
  ) {}

  async call<T>(
    method: HttpRequest["method"],
    path: string,
    parse: (json: unknown) => ParseResult<T>,
    body?: unknown,
    authenticated = true,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (authenticated && this.options.getToken) headers.authorization = `Bearer ${await this.options.getToken()}`;
    const request: HttpRequest = { method, url: this.options.base + path, headers, timeoutMs: this.options.timeoutMs };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      request.body = JSON.stringify(body);
    }
    const response = await this.withTimeout(this.options.http.request(request));
    const json = parseJson(response.body);
    if (response.status >= 200 && response.status < 300) {
      const parsed = parse(json);
      if (parsed.ok) return parsed.value;
      throw new ChatError("internal", `unexpected response from ${path}: ${parsed.error.message}`, response.status);
    }
    throw errorOf(response, json);
  }

  /** The adapters may or may not enforce the timeout; this makes sure nothing hangs. */
  private withTimeout(request: Promise<HttpResponse>): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const timer = this.options.timers.setTimeout(
        () => reject(new ChatError("timeout", `no HTTP response within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      request.then(
        (response) => {
          this.options.timers.clearTimeout(timer);
          resolve(response);
        },
        (error: unknown) => {
          this.options.timers.clearTimeout(timer);
          reject(error instanceof ChatError ? error : new ChatError("network", describe(error)));
        },
      );
    });
  }
}

/** The body as JSON, or undefined when it is none (also used by the media uploader). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ChatError of a non-2xx answer (also used by the media uploader). */
export function errorOf(response: HttpResponse, json: unknown): ChatError {
  const parsed = parseWith(ErrorBodySchema, json);
  if (parsed.ok) {
    const { code, message } = parsed.value.error;
    return new ChatError(code as ChatError["code"], message, response.status);
  }
  const code = response.status === 401 ? "unauthorized" : response.status >= 500 ? "unavailable" : "bad_request";
  return new ChatError(code, `HTTP ${response.status}`, response.status);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "errMsg" in error) return String(error.errMsg);
  return String(error);
}
