import { WeChatUnavailableError } from "../auth/wechat-api";

/** A JSON object as WeChat answers it (fields unchecked). */
export type WeChatAnswer = Record<string, unknown>;

/** WeChat's error code of an answer; 0 (or absent) is success. */
export function errcodeOf(answer: WeChatAnswer): number {
  return typeof answer.errcode === "number" ? answer.errcode : 0;
}

/**
 * POSTs JSON to a WeChat endpoint and parses the answer. Transport failures,
 * non-2xx statuses, timeouts and non-JSON answers throw WeChatUnavailableError;
 * a JSON answer is returned whatever its errcode (the caller decides).
 */
export async function postWeChatJson(url: URL, body: object, timeoutMs: number): Promise<WeChatAnswer> {
  let text: string;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
    if (!response.ok) throw new WeChatUnavailableError(`WeChat answered HTTP ${response.status}`);
  } catch (error) {
    if (error instanceof WeChatUnavailableError) throw error;
    throw new WeChatUnavailableError(`WeChat could not be reached: ${(error as Error).message}`);
  }
  // WeChat labels JSON text/plain: parse the text rather than trust the header.
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as WeChatAnswer;
  } catch {
    // fall through
  }
  throw new WeChatUnavailableError("WeChat answered something that is not a JSON object");
}
