import type { HttpClient } from "../ports/http";

/** The parts of `fetch` this adapter uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: unknown },
) => Promise<{ status: number; text(): Promise<string> }>;

interface AbortControllerLike {
  readonly signal: unknown;
  abort(): void;
}
declare const AbortController: (new () => AbortControllerLike) | undefined;

/** HttpClient over `fetch` (browsers, Node 18+). Aborts on timeout when AbortController exists. */
export function fetchHttp(fetchFn: FetchLike): HttpClient {
  return {
    async request(request) {
      const init: Parameters<FetchLike>[1] = { method: request.method, headers: request.headers };
      if (request.body !== undefined) init.body = request.body;
      let abortTimer: unknown;
      if (typeof AbortController !== "undefined") {
        const controller = new AbortController();
        init.signal = controller.signal;
        abortTimer = setTimeout(() => controller.abort(), request.timeoutMs);
      }
      try {
        const response = await fetchFn(request.url, init);
        return { status: response.status, body: await response.text() };
      } finally {
        if (abortTimer !== undefined) clearTimeout(abortTimer);
      }
    },
  };
}

declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
