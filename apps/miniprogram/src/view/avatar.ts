/** What an avatar shows: an image (the user's uploaded avatar) or a letter tile. */
export interface AvatarView {
  /** Thumbnail URL, or "" for the letter tile. */
  src: string;
  letter: string;
  /** Tile colour, stable per id, so that a person keeps their colour everywhere. */
  color: string;
}

/** A group's avatar: up to 9 member avatars in a grid of `columns` (1, 2 or 3), as WeChat draws it. */
export interface GroupAvatarView {
  cells: AvatarView[];
  columns: number;
}

/** Calm tile colours (WeChat's default avatars are soft, never saturated). */
const TILE_COLORS = ["#8fb8e8", "#91c9a8", "#e8b48f", "#b9a3e3", "#e39aa8", "#8ec9cf", "#d4bf7a", "#a3b1c6"];

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return h;
}

/** The first character of a name (a whole emoji or CJK character), upper-cased for Latin. */
export function letterOf(name: string): string {
  return (Array.from(name.trim())[0] ?? "?").toUpperCase();
}

/** Addresses of stored media with the media token (`<image src>` and the wx download APIs cannot send headers). */
export interface MediaUrls {
  /** The thumbnail (images, ≤ 360 px a side): bubbles and avatars. */
  thumb(mediaId: string): string;
  /** The stored bytes: the full image for previewImage, voice to play, a file to download. */
  full(mediaId: string): string;
}

export function avatarOf(user: { id: string; name: string; avatarMediaId?: string }, media: MediaUrls): AvatarView {
  return {
    src: user.avatarMediaId ? media.thumb(user.avatarMediaId) : "",
    letter: letterOf(user.name || user.id),
    color: TILE_COLORS[hash(user.id) % TILE_COLORS.length] ?? "#8fb8e8",
  };
}

/** The grid's columns for n members: 1 alone, 2 up to 4, 3 beyond (WeChat's 9-grid). */
export function gridColumns(count: number): number {
  return count <= 1 ? 1 : count <= 4 ? 2 : 3;
}

export function groupAvatarOf(members: readonly AvatarView[]): GroupAvatarView {
  const cells = members.slice(0, 9);
  return { cells, columns: gridColumns(cells.length) };
}
