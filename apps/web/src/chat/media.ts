import { fetchUpload, type Media, MediaUploader } from "@mpchat/client";
import { type Session, server } from "./session";

/**
 * Media in the page: addresses for `<img src>` (which sends no header, so the session's media
 * token goes in the query, as PROTOCOL.md's Media section says) and uploads over fetch.
 */
export class WebMedia {
  private readonly uploader: MediaUploader;

  constructor(private readonly session: Session) {
    this.uploader = new MediaUploader({
      httpBase: server.http,
      upload: fetchUpload((url, init) => fetch(url, init as RequestInit), FormData),
      getToken: () => session.token,
    });
  }

  thumbUrl(mediaId: string): string {
    return this.url(mediaId, "/thumb");
  }

  fullUrl(mediaId: string): string {
    return this.url(mediaId, "");
  }

  /** `POST /v1/media` (retried with the same clientMediaId on network trouble). */
  uploadImage(file: File): Promise<Media> {
    return this.uploader.upload({ kind: "image", file: { data: file, name: file.name } });
  }

  private url(mediaId: string, suffix: string): string {
    const token = this.session.mediaToken ?? "";
    return `${server.http}/v1/media/${encodeURIComponent(mediaId)}${suffix}?t=${encodeURIComponent(token)}`;
  }
}
