import { ChatError } from "../errors";
import type { UploadClient } from "../ports/upload";
import type { WxUploadApi } from "./wx-types";

/**
 * UploadClient over `wx.uploadFile`: fields go in `formData` (sent before the
 * file), progress from the task. A failure whose file no longer exists (a temp
 * path of an earlier launch, after a restart) is `bad_request`, so the outbox
 * marks the entry failed instead of retrying it forever; any other is network trouble.
 */
export function wxUploadFile(wx: WxUploadApi): UploadClient {
  return {
    upload(request) {
      const { file } = request;
      if (!("filePath" in file)) return Promise.reject(new Error("wx.uploadFile uploads a filePath"));
      return new Promise((resolve, reject) => {
        const task = wx.uploadFile({
          url: request.url,
          filePath: file.filePath,
          name: request.fileField,
          header: request.headers,
          formData: request.fields,
          timeout: request.timeoutMs,
          success: (result) => resolve({ status: result.statusCode, body: result.data }),
          fail: (error) =>
            reject(
              isGone(wx, file.filePath)
                ? new ChatError("bad_request", `the file to upload is gone: ${error.errMsg}`)
                : new Error(error.errMsg),
            ),
        });
        const onProgress = request.onProgress;
        if (onProgress) {
          task.onProgressUpdate((update) =>
            onProgress({ sent: update.totalBytesSent, total: update.totalBytesExpectedToSend }),
          );
        }
      });
    },
  };
}

function isGone(wx: WxUploadApi, filePath: string): boolean {
  if (!wx.getFileSystemManager) return false;
  try {
    wx.getFileSystemManager().accessSync(filePath);
    return false;
  } catch {
    return true;
  }
}
