/**
 * The parts of the mini program's `wx` object the adapters use, declared here so
 * the client does not depend on miniprogram-api-typings. The real `wx` is
 * assignable to each of them (checked by test/wx-types.test.ts).
 */

export interface WxSocketTask {
  send(option: { data: string; fail?: (error: { errMsg: string }) => void }): void;
  close(option: { code?: number; reason?: string }): void;
  onOpen(listener: (result: unknown) => void): void;
  onMessage(listener: (result: { data: string | ArrayBuffer }) => void): void;
  onClose(listener: (result: { code: number; reason: string }) => void): void;
  onError(listener: (result: { errMsg: string }) => void): void;
}

export interface WxSocketApi {
  connectSocket(option: { url: string; timeout?: number; fail?: (error: { errMsg: string }) => void }): WxSocketTask;
}

export interface WxRequestApi {
  request(option: {
    url: string;
    method?: "GET" | "POST" | "DELETE";
    data?: string;
    header?: Record<string, string>;
    dataType?: string;
    responseType?: "text";
    timeout?: number;
    success?: (result: { data: unknown; statusCode: number }) => void;
    fail?: (error: { errMsg: string }) => void;
  }): unknown;
}

export interface WxStorageApi {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
}

export interface WxUploadApi {
  uploadFile(option: {
    url: string;
    filePath: string;
    name: string;
    header?: Record<string, string>;
    formData?: Record<string, string>;
    timeout?: number;
    success?: (result: { data: string; statusCode: number }) => void;
    fail?: (error: { errMsg: string }) => void;
  }): {
    onProgressUpdate(
      listener: (result: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void,
    ): void;
  };
  /** To tell a file that is gone (a temp file of an earlier launch) from a network failure. */
  getFileSystemManager?(): { accessSync(path: string): void };
}
