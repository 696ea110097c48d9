import { AppError } from "../app-error";

export type MediaKind = "image" | "voice" | "file";

/**
 * Why an upload is refused, in the protocol's error codes: `too_large` (413)
 * past a limit, `bad_request` (400) for content that is not what its kind says,
 * truncated or undecodable. Anything else thrown by the media code is a fault.
 * An AppError, so that the HTTP error handler answers it as it is.
 */
export class MediaError extends AppError {
  declare readonly code: "too_large" | "bad_request";

  constructor(code: "too_large" | "bad_request", message: string) {
    super(code, message);
  }
}
