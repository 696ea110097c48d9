/** The upload port: one multipart POST of text fields then one file part (`POST /v1/media`). */

/** What to upload: a local path (the mini program's temp files) or data a `FormData` takes (a Blob, a File). */
export type UploadFile = { filePath: string; name?: string } | { data: unknown; name?: string };

export interface UploadProgress {
  /** Bytes sent so far and in all (as the runtime reports them). */
  sent: number;
  total: number;
}

export interface UploadRequest {
  url: string;
  headers: Record<string, string>;
  /** Text fields, sent before the file part (the server reads them first). */
  fields: Record<string, string>;
  /** The file part's field name (`file`). */
  fileField: string;
  file: UploadFile;
  timeoutMs: number;
  /** Called as bytes go out, when the adapter can tell (wx.uploadFile can; fetch cannot). */
  onProgress?: (progress: UploadProgress) => void;
}

/** Rejects only when no response arrived (network error, timeout); any status resolves, like HttpClient. */
export interface UploadClient {
  upload(request: UploadRequest): Promise<{ status: number; body: string }>;
}
