import type { HttpClient } from "../ports/http";
import type { WxRequestApi } from "./wx-types";

/** HttpClient over `wx.request`. Asks for text so that this adapter, not wx, parses JSON. */
export function wxRequestHttp(wx: WxRequestApi): HttpClient {
  return {
    request(request) {
      return new Promise((resolve, reject) => {
        const option: Parameters<WxRequestApi["request"]>[0] = {
          url: request.url,
          method: request.method,
          header: request.headers,
          dataType: "text",
          responseType: "text",
          timeout: request.timeoutMs,
          success: (result) => {
            const body = typeof result.data === "string" ? result.data : JSON.stringify(result.data);
            resolve({ status: result.statusCode, body });
          },
          fail: (error) => reject(new Error(error.errMsg)),
        };
        if (request.body !== undefined) option.data = request.body;
        wx.request(option);
      });
    },
  };
}
