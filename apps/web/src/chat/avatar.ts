import type { User } from "@mpchat/client";
import { el } from "./dom";
import type { WebMedia } from "./media";

const COLORS = ["#5b8ff9", "#61c38b", "#f6bd16", "#e8684a", "#6dc8ec", "#9270ca", "#ff9d4d", "#269a99"];

function colorOf(key: string): string {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return COLORS[hash % COLORS.length] ?? "#999";
}

/** The user's avatar image, or a coloured tile with the first character of the name. */
export function avatar(media: WebMedia, key: string, label: string, user?: User, size = "md"): HTMLElement {
  if (user?.avatarMediaId) {
    return el("img", { class: `avatar ${size}`, src: media.thumbUrl(user.avatarMediaId), alt: label });
  }
  const tile = el("span", { class: `avatar ${size}`, "aria-hidden": "true" }, Array.from(label)[0] ?? "?");
  tile.style.background = colorOf(key);
  return tile;
}
