import { createHmac, timingSafeEqual } from "node:crypto";
import type { TokenSecrets } from "./tokens";

/** How long WeChat may take to fetch a media it was asked to check (it fetches within minutes). */
export const MEDIA_CHECK_URL_TTL_MS = 60 * 60 * 1000;

const PREFIX = "check.";

/**
 * The URLs WeChat's media check fetches a media from (media_check_async's
 * `media_url`): `<PUBLIC_BASE_URL>/v1/media/<id>?t=check.<expiresAtS>.<mac>`, the
 * mac an HMAC-SHA256 of the media id and the expiry under the token secret (its
 * own label, so it is never mistaken for a media token). It names one media and
 * no user, needs no session, and ends after MEDIA_CHECK_URL_TTL_MS. The previous
 * secret of a rotation is still accepted.
 */
export class MediaCheckUrls {
  private readonly current: string;
  private readonly accepted: string[];

  constructor(
    secrets: TokenSecrets,
    private readonly publicBaseUrl: string,
    private readonly now: () => number,
    private readonly ttlMs = MEDIA_CHECK_URL_TTL_MS,
  ) {
    this.current = secrets.current;
    this.accepted = secrets.previous === undefined ? [secrets.current] : [secrets.current, secrets.previous];
  }

  urlOf(mediaId: string): string {
    const expiresAt = Math.ceil((this.now() + this.ttlMs) / 1000);
    const token = `${PREFIX}${expiresAt}.${mac(this.current, mediaId, expiresAt).toString("base64url")}`;
    return `${this.publicBaseUrl}/v1/media/${encodeURIComponent(mediaId)}?t=${token}`;
  }

  /** Whether `token` looks like a check token (the download route then asks `verify`, never the session). */
  static isCheckToken(token: string): boolean {
    return token.startsWith(PREFIX);
  }

  /** True for a check token of this media, with a valid mac, not expired. */
  verify(token: string, mediaId: string): boolean {
    if (!MediaCheckUrls.isCheckToken(token)) return false;
    const [expiry, given, extra] = token.slice(PREFIX.length).split(".");
    if (expiry === undefined || given === undefined || extra !== undefined || !/^\d{1,12}$/.test(expiry)) return false;
    const expiresAt = Number(expiry);
    if (expiresAt * 1000 < this.now()) return false;
    const givenMac = Buffer.from(given, "base64url");
    return this.accepted.some((secret) => {
      const expected = mac(secret, mediaId, expiresAt);
      return givenMac.length === expected.length && timingSafeEqual(givenMac, expected);
    });
  }
}

function mac(secret: string, mediaId: string, expiresAt: number): Buffer {
  return createHmac("sha256", secret).update(`mpchat-media-check-url\n${mediaId}\n${expiresAt}`).digest();
}
