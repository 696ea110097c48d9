import type { MediaUrls } from "../view/avatar";

/**
 * Addresses of stored media for `<image src>`, which cannot send headers: the media token goes in
 * the query (GET /v1/media/:id/thumb?t=…). The token comes with the login answer; until the
 * server sends one the URL has none (and the server answers 401, which shows as the tile).
 */
export function mediaUrls(httpBase: string, token: () => string): MediaUrls {
  return {
    thumb: (mediaId) => `${httpBase}/v1/media/${encodeURIComponent(mediaId)}/thumb?t=${encodeURIComponent(token())}`,
  };
}
