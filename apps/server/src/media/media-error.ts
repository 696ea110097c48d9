export type MediaKind = "image" | "voice" | "file";

/**
 * Why an upload is refused, in the protocol's error codes: `too_large` (413)
 * past a limit, `bad_request` (400) for content that is not what its kind says,
 * truncated or undecodable. Anything else thrown by the media code is a fault.
 */
export class MediaError extends Error {
  constructor(
    readonly code: "too_large" | "bad_request",
    message: string,
  ) {
    super(message);
    this.name = "MediaError";
  }
}
