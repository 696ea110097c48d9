/** The HTTP port used for the REST routes (auth, conversations, history). */

export interface HttpRequest {
  /** No PATCH: wx.request has none (the server takes `POST /v1/me` for `PATCH /v1/me`). */
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** JSON text, when the request has a body. */
  body?: string;
  /** Adapters that can abort (wx.request `timeout`, fetch + AbortController) use it; the client also enforces it. */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** The response body as text (JSON for every /v1 route). */
  body: string;
}

/** Rejects only when no response arrived (network error, timeout); any status resolves. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}
