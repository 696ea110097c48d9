import type WebSocket from "ws";
import { activity } from "./activity";
import { type AsyncOption, failLater, later } from "./wx-async";
import { WxMedia } from "./wx-media";
import { type RequestNetwork, type RequestOption, shimRequest } from "./wx-request";
import type {
  PrivacyAnswer,
  SubscribeChoice,
  SubscribeRequest,
  UiCall,
  UploadCall,
  UploadHandler,
} from "./wx-shim-types";
import { failedSocketTask, openSocketTask } from "./wx-socket-task";
import { shimUpload, UploadControl, type UploadOption } from "./wx-upload";

export type {
  PrivacyAnswer,
  SubscribeChoice,
  SubscribeRequest,
  UiCall,
  UploadCall,
  UploadHandler,
} from "./wx-shim-types";

/**
 * A `wx` for one simulated app: the network calls reach the real server started by the test, and
 * storage is a real map that outlives the app (a relaunch with the same shim keeps it).
 *
 * The app is built with the development address (src/config.ts: http://localhost:3000); the shim
 * sends those requests to the test server's real port, as a proxy would, so the built dist/ runs
 * unchanged.
 */
export interface WxShimOptions {
  /** Origin of the test server, e.g. http://127.0.0.1:43121 (WebSockets go to ws://127.0.0.1:43121). */
  serverUrl: string;
}

export const APP_HTTP_ORIGIN = "http://localhost:3000";
const APP_WS_ORIGIN = "ws://localhost:3000";

export class WxShim {
  /** wx storage: values as the app stored them. */
  readonly storage = new Map<string, unknown>();
  /** Every HTTP response body the app received, as text. */
  readonly responses: string[] = [];
  readonly uiCalls: UiCall[] = [];
  /** Codes handed out by wx.login, in order; the test fills it (from the fake WeChat). */
  readonly loginCodes: string[] = [];
  /** Every wx.uploadFile call. */
  readonly uploads: UploadCall[] = [];
  /** Uploads: held at half (progress), refused, or answered by a handler in place of the server. */
  readonly uploadControl = new UploadControl();
  /** Temporary files, pickers, the recorder, audio, previews, downloads. */
  readonly media = new WxMedia(() => this.needPrivacy());
  /** How the user answers the next wx.showModal calls, in order (none queued: confirm, content unchanged). */
  readonly modalAnswers: Array<{ confirm: boolean; content?: string }> = [];
  /** Which row the user taps in the next wx.showActionSheet calls, in order (none queued: cancel). */
  readonly actionSheetAnswers: number[] = [];
  /** What wx.setClipboardData put on the clipboard. */
  clipboard = "";
  /** Whether the user agreed to the privacy guide (WeChat remembers it per user). */
  privacyAgreed = false;
  private privacyListener: ((resolve: (answer: PrivacyAnswer) => void) => void) | undefined;
  /** What the user does when WeChat's subscribe popup shows (a test changes it between taps). */
  subscribeChoice: SubscribeChoice = { answer: "accept", always: false };
  /** The subscribe-message switch in the mini program's settings page (off: every request fails, 20004). */
  subscriptionsMainSwitch = true;
  /** What WeChat remembers per template after "always keep this choice" (what getSetting withSubscriptions lists). */
  readonly subscriptionAlways = new Map<string, "accept" | "reject">();
  /** Every wx.requestSubscribeMessage call. */
  readonly subscribeRequests: SubscribeRequest[] = [];
  /** Changes what the server sent before the app sees it (HTTP bodies and socket frames), e.g. to play a newer server. */
  rewriteIncoming: (text: string) => string = (text) => text;
  private online = true;
  private readonly sockets = new Set<WebSocket>();
  private readonly networkListeners: Array<(status: { isConnected: boolean; networkType: string }) => void> = [];

  constructor(private readonly options: WxShimOptions) {}

  /**
   * What an `<image src>` does with an address the app wrote: a GET (no headers of the app's) to
   * the real server, answered with its status, type and bytes.
   */
  async loadImage(src: string): Promise<{ status: number; contentType: string; bytes: Uint8Array }> {
    const response = await fetch(this.rewrite(src));
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", bytes };
  }

  /** Cut the network: open sockets drop (as on a lost signal), new ones and requests fail. */
  goOffline(): void {
    this.online = false;
    for (const socket of this.sockets) socket.terminate();
    this.notifyNetwork();
  }

  /** The network is back: WeChat tells the app through onNetworkStatusChange. */
  goOnline(): void {
    this.online = true;
    this.notifyNetwork();
  }

  /**
   * A new app process on this phone (a cold start): listeners of the previous one are gone, its
   * sockets are dropped; storage stays.
   */
  newProcess(): void {
    this.networkListeners.length = 0;
    for (const socket of this.sockets) socket.terminate();
  }

  /** Sockets currently open or opening. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /**
   * What WeChat does before a privacy API (chooseAvatar): without consent it calls the app's
   * onNeedPrivacyAuthorization listener and waits for the answer the app's popup gives.
   * Resolves with that answer (agreed at once when consent was given before).
   */
  needPrivacy(): Promise<PrivacyAnswer> {
    if (this.privacyAgreed) return Promise.resolve({ event: "agree" });
    const listener = this.privacyListener;
    if (!listener) return Promise.reject(new Error("the app registered no onNeedPrivacyAuthorization listener"));
    return new Promise((resolve) => {
      listener((answer) => {
        if (answer.event === "agree") this.privacyAgreed = true;
        resolve(answer);
        activity.pulse();
      });
      activity.pulse();
    });
  }

  /** Set by a test: answers uploads in place of the server (none set: they reach the real server). */
  set uploadHandler(handler: UploadHandler | undefined) {
    this.uploadControl.handler = handler;
  }

  uiCallsOf(api: string): UiCall[] {
    return this.uiCalls.filter((call) => call.api === api);
  }

  private notifyNetwork(): void {
    const status = { isConnected: this.online, networkType: this.online ? "wifi" : "none" };
    setImmediate(() => {
      for (const listener of this.networkListeners) listener(status);
      activity.pulse();
    });
  }

  private rewrite(url: string): string {
    const origin = this.options.serverUrl.replace(/\/+$/, "");
    if (url.startsWith(APP_HTTP_ORIGIN)) return origin + url.slice(APP_HTTP_ORIGIN.length);
    if (url.startsWith(APP_WS_ORIGIN)) return origin.replace(/^http/, "ws") + url.slice(APP_WS_ORIGIN.length);
    throw new Error(`the app used an address outside its config: ${url}`);
  }

  /** What wx.request reads of this shim, as it is at the call (rewriteIncoming: when the answer comes). */
  private network(): RequestNetwork {
    return {
      online: this.online,
      rewrite: (url) => this.rewrite(url),
      rewriteIncoming: (text) => this.rewriteIncoming(text),
      responses: this.responses,
    };
  }

  /** The object installed as the global `wx` while this app runs. */
  readonly api = {
    // --- network ---------------------------------------------------------------------------
    request: (option: RequestOption) => shimRequest(this.network(), option),

    connectSocket: (option: { url: string }) =>
      this.online
        ? openSocketTask(this.rewrite(option.url), this.sockets, (text) => this.rewriteIncoming(text))
        : failedSocketTask("network is down"),

    onNetworkStatusChange: (listener: (status: { isConnected: boolean; networkType: string }) => void) => {
      this.networkListeners.push(listener);
    },
    offNetworkStatusChange: () => {
      this.networkListeners.length = 0;
    },
    getNetworkType: (option: AsyncOption<{ networkType: string }>) =>
      later(option, { networkType: this.online ? "wifi" : "none" }),

    uploadFile: (option: UploadOption) =>
      shimUpload(
        {
          online: this.online,
          rewrite: (url) => this.rewrite(url),
          files: this.media.files,
          uploads: this.uploads,
          control: this.uploadControl,
        },
        option,
      ),

    // --- media: pickers, recorder, audio, preview, download ---------------------------------
    ...this.media.api({ isOnline: () => this.online, rewrite: (url) => this.rewrite(url) }),

    // --- privacy ---------------------------------------------------------------------------
    onNeedPrivacyAuthorization: (listener: (resolve: (answer: PrivacyAnswer) => void) => void) => {
      this.privacyListener = listener;
    },

    // --- subscribe messages ------------------------------------------------------------------
    /**
     * As WeChat does: a remembered ("always") choice answers without a popup; otherwise the popup
     * shows and the user's `subscribeChoice` answers (remembered when they ticked "always").
     */
    requestSubscribeMessage: (option: AsyncOption<Record<string, string>> & { tmplIds: string[] }) => {
      if (!this.subscriptionsMainSwitch) {
        this.subscribeRequests.push({ tmplIds: option.tmplIds, popupShown: false, result: {} });
        failLater(option, "requestSubscribeMessage:fail can only be invoked by user TAP gesture. errCode 20004");
        return;
      }
      const result: Record<string, string> = { errMsg: "requestSubscribeMessage:ok" };
      let popupShown = false;
      for (const id of option.tmplIds) {
        const remembered = this.subscriptionAlways.get(id);
        if (remembered) {
          result[id] = remembered;
          continue;
        }
        popupShown = true;
        result[id] = this.subscribeChoice.answer;
        if (this.subscribeChoice.always) this.subscriptionAlways.set(id, this.subscribeChoice.answer);
      }
      this.subscribeRequests.push({ tmplIds: option.tmplIds, popupShown, result });
      later(option, result);
      activity.pulse();
    },
    getSetting: (option: AsyncOption<unknown> & { withSubscriptions?: boolean }) => {
      const settings: Record<string, unknown> = { authSetting: {}, errMsg: "getSetting:ok" };
      if (option.withSubscriptions) {
        settings.subscriptionsSetting = {
          mainSwitch: this.subscriptionsMainSwitch,
          itemSettings: Object.fromEntries(this.subscriptionAlways),
        };
      }
      later(option, settings);
    },

    // --- login -----------------------------------------------------------------------------
    login: (option: AsyncOption<{ code: string; errMsg: string }>) => {
      const code = this.loginCodes.shift();
      if (code === undefined) failLater(option, "login:fail no code prepared by the test");
      else later(option, { code, errMsg: "login:ok" });
    },

    // --- storage (synchronous, like the real one) ------------------------------------------
    getStorageSync: (key: string): unknown => {
      // wx answers "" for a missing key.
      if (!this.storage.has(key)) return "";
      const value = this.storage.get(key);
      return typeof value === "string" ? value : JSON.parse(JSON.stringify(value));
    },
    setStorageSync: (key: string, value: unknown) => {
      this.storage.set(key, typeof value === "string" ? value : JSON.parse(JSON.stringify(value)));
    },
    removeStorageSync: (key: string) => {
      this.storage.delete(key);
    },
    clearStorageSync: () => this.storage.clear(),

    // --- environment -----------------------------------------------------------------------
    getAccountInfoSync: () => ({ miniProgram: { appId: "touristappid", envVersion: "develop", version: "" } }),
    getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, pixelRatio: 2, screenWidth: 375, screenHeight: 667 }),

    // --- dialogs: recorded, answered as the test queued ---------------------------------------
    showModal: (option: Record<string, unknown> & AsyncOption<unknown> = {}) => {
      this.uiCalls.push({ api: "showModal", option });
      const answer = this.modalAnswers.shift() ?? { confirm: true };
      const content = answer.content ?? (typeof option.content === "string" ? option.content : "");
      later(option, { errMsg: "showModal:ok", confirm: answer.confirm, cancel: !answer.confirm, content });
    },
    showActionSheet: (option: Record<string, unknown> & AsyncOption<unknown> = {}) => {
      this.uiCalls.push({ api: "showActionSheet", option });
      const tapIndex = this.actionSheetAnswers.shift();
      if (tapIndex === undefined) failLater(option, "showActionSheet:fail cancel");
      else later(option, { errMsg: "showActionSheet:ok", tapIndex });
    },
    setClipboardData: (option: Record<string, unknown> & AsyncOption<unknown> = {}) => {
      this.uiCalls.push({ api: "setClipboardData", option });
      this.clipboard = String(option.data ?? "");
      later(option, { errMsg: "setClipboardData:ok" });
    },

    // --- UI: recorded, answered at once ----------------------------------------------------
    ...Object.fromEntries(
      [
        "navigateTo",
        "redirectTo",
        "reLaunch",
        "navigateBack",
        "switchTab",
        "showToast",
        "hideToast",
        "showLoading",
        "hideLoading",
        "setNavigationBarTitle",
        "stopPullDownRefresh",
        "hideKeyboard",
        "openPrivacyContract",
      ].map((api) => [
        api,
        (option: Record<string, unknown> & AsyncOption<unknown> = {}) => {
          this.uiCalls.push({ api, option });
          later(option, { errMsg: `${api}:ok` });
        },
      ]),
    ),
  };
}
