import type { MediaUrls } from "../view/avatar";

/**
 * Addresses of stored media for `<image src>`, which cannot send headers: the media token goes in
 * the query (GET /v1/media/:id/thumb?t=…). The token comes with the login answer; without one
 * the server would answer 401 and `<image>` would show an empty square, so the address is ""
 * and the page draws the letter tile instead.
 */
export function mediaUrls(httpBase: string, token: () => string): MediaUrls {
  return {
    thumb: (mediaId) => {
      const t = token();
      return t === "" ? "" : `${httpBase}/v1/media/${encodeURIComponent(mediaId)}/thumb?t=${encodeURIComponent(t)}`;
    },
  };
}
