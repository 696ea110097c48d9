import { activity } from "./activity";
import { type Callback, failLater, later } from "./wx-async";

/** The options of wx.request the app uses. */
export interface RequestOption {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  dataType?: string;
  success?: Callback<{ data: unknown; statusCode: number; header: Record<string, string>; errMsg: string }>;
  fail?: Callback<{ errMsg: string }>;
  complete?: Callback<unknown>;
}

/** What wx.request needs of the shim that makes it, as it is at the call. */
export interface RequestNetwork {
  online: boolean;
  /** Points the app's address at the test server (throws for an address outside the app's config). */
  rewrite(url: string): string;
  /** Changes what the server sent before the app sees it. */
  rewriteIncoming(text: string): string;
  /** Every HTTP response body the app received, as text. */
  responses: string[];
}

/** wx.request against the real test server, through fetch. */
export function shimRequest(network: RequestNetwork, option: RequestOption): { abort(): void } {
  const fail = (errMsg: string) => {
    failLater(option, errMsg);
    activity.pulse();
  };
  if (!network.online) {
    fail("request:fail network is down");
    return { abort() {} };
  }
  const body =
    option.data === undefined ? undefined : typeof option.data === "string" ? option.data : JSON.stringify(option.data);
  fetch(network.rewrite(option.url), { method: option.method ?? "GET", headers: option.header ?? {}, body }).then(
    async (response) => {
      const text = network.rewriteIncoming(await response.text());
      network.responses.push(text);
      let data: unknown = text;
      // Like wx: dataType "json" (the default) parses when it can; anything else gives the text.
      if ((option.dataType ?? "json") === "json") {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      const header: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        header[key] = value;
      });
      later(option, { data, statusCode: response.status, header, errMsg: "request:ok" });
      activity.pulse();
    },
    (error: Error) => fail(`request:fail ${error.message}`),
  );
  return { abort() {} };
}
