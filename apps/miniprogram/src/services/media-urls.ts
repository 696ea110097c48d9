import type { MediaUrls } from "../view/avatar";

/**
 * Addresses of stored media for `<image src>`, `wx.previewImage`, `InnerAudioContext.src` and
 * `wx.downloadFile`, none of which can send headers: the media token goes in the query
 * (GET /v1/media/:id(/thumb)?t=…). The token comes with the login answer; without one the server
 * would answer 404 and `<image>` would show an empty square, so the address is "" and the page
 * draws a placeholder (a letter tile for avatars) instead.
 */
export function mediaUrls(httpBase: string, token: () => string): MediaUrls {
  const url = (mediaId: string, suffix: string) => {
    const t = token();
    return t === "" ? "" : `${httpBase}/v1/media/${encodeURIComponent(mediaId)}${suffix}?t=${encodeURIComponent(t)}`;
  };
  return {
    thumb: (mediaId) => url(mediaId, "/thumb"),
    full: (mediaId) => url(mediaId, ""),
  };
}
