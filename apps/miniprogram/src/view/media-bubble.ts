/**
 * How image, voice and file bubbles are drawn, from the body's fields alone (no pixels needed):
 * the sizes are known before the thumbnail loads, so the list does not jump when it arrives.
 * Lengths are rpx (750 = the screen's width), as the templates use them.
 */

/** The box an image bubble fits in, and the smallest side it keeps (a long strip is cropped). */
export const IMAGE_MAX_RPX = 360;
export const IMAGE_MIN_RPX = 120;

export interface ImageBox {
  width: number;
  height: number;
}

/**
 * Fits width × height into the max box, keeping the shape; small images are scaled up to the
 * box's long side as WeChat does. A strip thinner than the minimum is shown at the minimum and
 * cropped (`mode="aspectFill"`). Unknown sizes (0) give a square.
 */
export function imageBox(width: number, height: number): ImageBox {
  if (!(width > 0 && height > 0)) return { width: IMAGE_MAX_RPX * 0.75, height: IMAGE_MAX_RPX * 0.75 };
  const scale = IMAGE_MAX_RPX / Math.max(width, height);
  const clamp = (side: number) => Math.round(Math.min(IMAGE_MAX_RPX, Math.max(IMAGE_MIN_RPX, side * scale)));
  return { width: clamp(width), height: clamp(height) };
}

/** Voice bubbles grow with the duration, from 1 s to the 60 s limit, as in WeChat. */
export const VOICE_MIN_RPX = 150;
export const VOICE_MAX_RPX = 460;
export const VOICE_MAX_SECONDS = 60;

/** Whole seconds shown for a recording (at least 1, as WeChat rounds a short one up). */
export function voiceSeconds(durationMs: number): number {
  return Math.min(VOICE_MAX_SECONDS, Math.max(1, Math.round(durationMs / 1000)));
}

export function voiceWidth(durationMs: number): number {
  const seconds = voiceSeconds(durationMs);
  const share = (seconds - 1) / (VOICE_MAX_SECONDS - 1);
  // Square root: the first seconds make a visible difference, a long one still fits the row.
  return Math.round(VOICE_MIN_RPX + (VOICE_MAX_RPX - VOICE_MIN_RPX) * Math.sqrt(share));
}

/** "532 B", "12.5 KB", "3.2 MB" (1024-based, as phones show file sizes). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export interface FileIcon {
  /** The extension in capitals ("PDF"), or "FILE". */
  label: string;
  color: string;
}

/** Colours of the document kinds people recognise (Office's, Adobe's), grey for the rest. */
const FILE_COLORS: ReadonlyArray<[readonly string[], string]> = [
  [["pdf"], "#e5483c"],
  [["doc", "docx", "pages", "txt", "md", "rtf"], "#2b7cd3"],
  [["xls", "xlsx", "csv", "numbers"], "#1f9d55"],
  [["ppt", "pptx", "key"], "#e8742b"],
  [["zip", "rar", "7z", "gz", "tar"], "#8d6e63"],
];

export function fileIcon(name: string): FileIcon {
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : "";
  const color = FILE_COLORS.find(([exts]) => exts.includes(ext))?.[1] ?? "#9e9e9e";
  const label = ext !== "" && ext.length <= 4 ? ext.toUpperCase() : "FILE";
  return { label, color };
}

/** The file type wx.openDocument wants (it opens doc(x), xls(x), ppt(x), pdf); undefined: let it guess. */
export function documentType(name: string): string | undefined {
  const ext = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  return ["doc", "docx", "xls", "xlsx", "ppt", "pptx", "pdf"].includes(ext) ? ext : undefined;
}
