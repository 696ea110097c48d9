/** A file picked to send: a temporary path of WeChat's, and what is known about it before upload. */
export interface PickedFile {
  kind: "image" | "file";
  path: string;
  /** Files from a chat have their name; WeChat's temp names mean nothing to the peer. */
  name?: string;
  size: number;
}

/** A cancelled picker is not an error worth a toast. */
export function isCancel(error: unknown): boolean {
  const message = typeof error === "object" && error !== null ? String((error as { errMsg?: unknown }).errMsg) : "";
  return /cancel/i.test(message);
}

/**
 * Pictures from the album (up to 9) or one from the camera, compressed as WeChat does for chats.
 * Rejects with WeChat's error (a cancel included: see isCancel).
 */
export function chooseImages(source: "album" | "camera"): Promise<PickedFile[]> {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count: source === "album" ? 9 : 1,
      mediaType: ["image"],
      sourceType: [source],
      sizeType: ["compressed"],
      camera: "back",
      success: (result) =>
        resolve(result.tempFiles.map((file) => ({ kind: "image", path: file.tempFilePath, size: file.size }))),
      fail: reject,
    });
  });
}

/** One file from a WeChat chat (the only file source a mini program has). */
export function chooseChatFile(): Promise<PickedFile[]> {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: "file",
      success: (result) =>
        resolve(result.tempFiles.map((file) => ({ kind: "file", path: file.path, name: file.name, size: file.size }))),
      fail: reject,
    });
  });
}
