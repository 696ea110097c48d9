import type { ServerAddress } from "../config";

/** What POST /v1/media answers (the fields the mini program uses). */
export interface UploadedMedia {
  id: string;
  kind: string;
}

export type Uploader = Pick<WechatMiniprogram.Wx, "uploadFile">;

/**
 * Uploads a local file (a chooseAvatar / chooseMedia temporary path) with wx.uploadFile, as
 * POST /v1/media expects it: fields `kind` and `clientMediaId`, file part `file`. The same
 * clientMediaId makes a retried upload the same media.
 */
export function uploadMedia(
  platform: Uploader,
  server: ServerAddress,
  token: string,
  file: { path: string; kind: "image" | "voice" | "file"; clientMediaId: string },
): Promise<UploadedMedia> {
  return new Promise((resolve, reject) => {
    platform.uploadFile({
      url: `${server.http}/v1/media`,
      filePath: file.path,
      name: "file",
      formData: { kind: file.kind, clientMediaId: file.clientMediaId },
      header: { authorization: `Bearer ${token}` },
      success: (result) => {
        const media = parseMedia(result.data);
        if (result.statusCode >= 200 && result.statusCode < 300 && media) resolve(media);
        else reject(new Error(`upload failed: HTTP ${result.statusCode}`));
      },
      fail: (error) => reject(new Error(error.errMsg)),
    });
  });
}

function parseMedia(data: string): UploadedMedia | undefined {
  try {
    const media = (JSON.parse(data) as { media?: { id?: unknown; kind?: unknown } }).media;
    if (media && typeof media.id === "string" && typeof media.kind === "string") {
      return { id: media.id, kind: media.kind };
    }
  } catch {
    // Not JSON: a proxy's error page; handled as a failed upload.
  }
  return undefined;
}
