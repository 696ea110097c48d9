/** The shapes a test reads from or hands to the WxShim (wx-shim.ts re-exports them). */

/** One wx.uploadFile call, as the app made it (url already pointed at the test server). */
export interface UploadCall {
  url: string;
  filePath: string;
  name: string;
  formData: Record<string, string>;
  header: Record<string, string>;
}

/** Answers an upload in place of the server (POST /v1/media is not on this server yet). */
export type UploadHandler = (call: UploadCall) => Promise<{ statusCode: number; data: string }>;

/** What the app's onNeedPrivacyAuthorization listener handed back. */
export interface PrivacyAnswer {
  buttonId?: string;
  event: string;
}

/** One call of a UI API (navigation, toast, title), for assertions. */
export interface UiCall {
  api: string;
  option: Record<string, unknown>;
}

/** What the user does in WeChat's subscribe popup: tap 允许 or 取消, ticking "总是保持以上选择" or not. */
export interface SubscribeChoice {
  answer: "accept" | "reject";
  always: boolean;
}

/** One wx.requestSubscribeMessage call: the ids asked for, and whether WeChat showed its popup. */
export interface SubscribeRequest {
  tmplIds: string[];
  popupShown: boolean;
  result: Record<string, string>;
}
