import { strings } from "../../strings";
import { documentType } from "../../view/media-bubble";
import type { BubbleItem } from "./chat-items";

/**
 * Tapping an image: WeChat's own viewer over every image of the loaded chat (swipe between them),
 * starting at this one, with the full images (the bubbles show thumbnails).
 */
export function previewImage(items: readonly BubbleItem[], tapped: BubbleItem): void {
  const current = tapped.image?.full || tapped.image?.src || "";
  if (current === "") return;
  const urls = items.map((item) => item.image?.full || item.image?.src || "").filter((url) => url !== "");
  wx.previewImage({ urls: urls.includes(current) ? urls : [current], current });
}

/**
 * Tapping a file: download it (with the media token in the URL: downloadFile sends no headers we
 * control on every base library) and open it with wx.openDocument, which shows WeChat's viewer
 * (pdf, Office) with its menu to forward or save. Other types cannot be opened there: a toast says so.
 */
export function openFile(file: { name: string; src: string }): void {
  if (file.src === "") return;
  wx.showLoading({ title: strings.chat.fileOpening });
  wx.downloadFile({
    url: file.src,
    success: (result) => {
      if (result.statusCode !== 200) {
        wx.hideLoading({});
        wx.showToast({ title: strings.chat.fileOpenFailed, icon: "none" });
        return;
      }
      const fileType = documentType(file.name);
      wx.openDocument({
        filePath: result.tempFilePath,
        showMenu: true,
        ...(fileType ? { fileType: fileType as WechatMiniprogram.OpenDocumentOption["fileType"] } : {}),
        success: () => wx.hideLoading({}),
        fail: () => {
          wx.hideLoading({});
          wx.showToast({ title: strings.chat.fileCannotOpen, icon: "none" });
        },
      });
    },
    fail: () => {
      wx.hideLoading({});
      wx.showToast({ title: strings.chat.fileOpenFailed, icon: "none" });
    },
  });
}
