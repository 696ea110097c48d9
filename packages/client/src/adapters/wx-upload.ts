import type { UploadClient } from "../ports/upload";
import type { WxUploadApi } from "./wx-types";

/** UploadClient over `wx.uploadFile`: fields go in `formData` (sent before the file), progress from the task. */
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
          fail: (error) => reject(new Error(error.errMsg)),
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
