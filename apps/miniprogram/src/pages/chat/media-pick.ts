/** A file picked to send: a temporary path of WeChat's, and what is known about it before upload. */
export interface PickedFile {
  kind: "image" | "file";
  path: string;
  /** Files from a chat have their name; WeChat's temp names mean nothing to the peer. */
  name?: string;
  size: number;
}

/**
 * A cancelled picker, or one WeChat refused because the privacy guide was declined (the popup's
 * own toast said so), is not an error worth another toast.
 */
export function isUserRefusal(error: unknown): boolean {
  const message = typeof error === "object" && error !== null ? String((error as { errMsg?: unknown }).errMsg) : "";
  return /cancel|privacy/i.test(message);
}

/**
 * Pictures from the album (up to 9) or one from the camera, compressed as WeChat does for chats.
 * Rejects with WeChat's error (a cancel included: see isUserRefusal).
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

/**
 * One file from a WeChat chat (the only file source a mini program has). Its temporary path has a
 * meaningless name (tmp_…pdf), and wx.uploadFile sends the path's last segment as the file name,
 * which the server stores as the file's name: so it is copied under its real name first, into a
 * folder of its own in the user data directory (which also outlives the app, as the outbox does).
 */
export function chooseChatFile(): Promise<PickedFile[]> {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: "file",
      success: (result) =>
        resolve(
          result.tempFiles.map((file) => ({
            kind: "file",
            path: underItsName(file.path, file.name),
            name: file.name,
            size: file.size,
          })),
        ),
      fail: reject,
    });
  });
}

/** A copy of the file named `name`; the original path when copying is not possible. */
function underItsName(path: string, name: string): string {
  const safe = name.replace(/[/\\]/g, "_").trim();
  if (safe === "" || safe === "." || safe === "..") return path;
  try {
    const fs = wx.getFileSystemManager();
    const dir = `${wx.env.USER_DATA_PATH}/outgoing/${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    fs.mkdirSync(dir, true);
    const copy = `${dir}/${safe}`;
    fs.copyFileSync(path, copy);
    return copy;
  } catch {
    return path;
  }
}
