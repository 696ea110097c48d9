import { activity } from "./activity";
import { type Callback, failLater, later } from "./wx-async";
import type { TempFile } from "./wx-media";
import type { UploadCall, UploadHandler } from "./wx-shim-types";

/** The options of wx.uploadFile the app uses. */
export interface UploadOption {
  url: string;
  filePath: string;
  name: string;
  formData?: Record<string, string>;
  header?: Record<string, string>;
  success?: Callback<{ data: string; statusCode: number; errMsg: string }>;
  fail?: Callback<{ errMsg: string }>;
  complete?: Callback<unknown>;
}

type ProgressListener = (update: {
  progress: number;
  totalBytesSent: number;
  totalBytesExpectedToSend: number;
}) => void;

/** What the test controls about uploads (WxShim.uploadControl). */
export class UploadControl {
  /** Set by a test: answers uploads in place of the server. Unset: they go to the real server. */
  handler: UploadHandler | undefined;
  /** Statuses the next uploads are answered with before reaching the server (e.g. 413 from a proxy). */
  readonly refuse: number[] = [];
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  /** Uploads from now on stop at half their bytes until release() (for a picture of the progress). */
  hold(): void {
    this.gate ??= new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
    this.open = undefined;
  }

  waitGate(): Promise<void> {
    return this.gate ?? Promise.resolve();
  }
}

/** The upload network: what wx.uploadFile needs of the shim, as it is at the call. */
export interface UploadNetwork {
  online: boolean;
  rewrite(url: string): string;
  files: ReadonlyMap<string, TempFile>;
  uploads: UploadCall[];
  control: UploadControl;
}

/**
 * wx.uploadFile: multipart/form-data as WeChat sends it (the formData fields, then the file part
 * `name`), POSTed to the real server; progress reported at half and at the end.
 */
export function shimUpload(network: UploadNetwork, option: UploadOption) {
  const progress: ProgressListener[] = [];
  const task = {
    abort() {},
    onProgressUpdate: (listener: ProgressListener) => progress.push(listener),
    offProgressUpdate() {},
  };
  const call: UploadCall = {
    url: network.rewrite(option.url),
    filePath: option.filePath,
    name: option.name,
    formData: option.formData ?? {},
    header: option.header ?? {},
  };
  network.uploads.push(call);
  const fail = (errMsg: string) => {
    failLater(option, errMsg);
    activity.pulse();
  };
  const succeed = (answer: { statusCode: number; data: string }) => {
    later(option, { ...answer, errMsg: "uploadFile:ok" });
    activity.pulse();
  };
  if (!network.online) {
    fail("uploadFile:fail network is down");
    return task;
  }
  const { control } = network;
  if (control.handler) {
    control.handler(call).then(succeed, (error: Error) => fail(`uploadFile:fail ${error.message}`));
    return task;
  }
  const refused = control.refuse.shift();
  if (refused !== undefined) {
    succeed({
      statusCode: refused,
      data: JSON.stringify({ error: { code: "too_large", message: "refused by the test" } }),
    });
    return task;
  }
  const file = network.files.get(option.filePath);
  if (!file) {
    fail(`uploadFile:fail file not found ${option.filePath}`);
    return task;
  }
  const total = file.bytes.length;
  const report = (sent: number) => {
    for (const listener of progress)
      listener({
        progress: Math.round((sent / Math.max(1, total)) * 100),
        totalBytesSent: sent,
        totalBytesExpectedToSend: total,
      });
    activity.pulse();
  };
  const form = new FormData();
  for (const [key, value] of Object.entries(call.formData)) form.append(key, value);
  // As WeChat: the part's file name is the path's last segment (a temp name unless the app copied it).
  form.append(option.name, new Blob([new Uint8Array(file.bytes)]), option.filePath.split("/").at(-1) ?? "file");
  setImmediate(async () => {
    report(Math.floor(total / 2));
    await control.waitGate();
    try {
      const response = await fetch(call.url, { method: "POST", body: form, headers: call.header });
      const data = await response.text();
      report(total);
      succeed({ statusCode: response.status, data });
    } catch (error) {
      fail(`uploadFile:fail ${(error as Error).message}`);
    }
  });
  return task;
}
