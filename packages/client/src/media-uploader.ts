import { type Media, type MediaKind, MediaResponseSchema, parseWith } from "@mpchat/protocol";
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from "./backoff";
import { ChatError } from "./errors";
import { ClientMsgIdMaker } from "./ids";
import { errorOf, parseJson } from "./json-http";
import { systemTimers, type Timers } from "./ports/timers";
import type { UploadClient, UploadFile, UploadProgress } from "./ports/upload";

export interface MediaUploaderOptions {
  /** Origin of the REST routes, e.g. `https://chat.example.com`. */
  httpBase: string;
  upload: UploadClient;
  getToken: () => string | Promise<string>;
  timers?: Timers;
  /** One attempt's limit. Default 120 000 ms (20 MiB on a slow mobile link). */
  timeoutMs?: number;
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
}

export interface UploadMediaInput {
  kind: MediaKind;
  file: UploadFile;
  /** The upload's own id: give the same one to retry an upload across app restarts. Default: a new one. */
  clientMediaId?: string;
  /** Voice: the recorder's duration, used by the server only when the content does not tell it. */
  durationMs?: number;
  /** Progress of the current attempt, when the upload port can tell (wx.uploadFile can). */
  onProgress?: (progress: UploadProgress & { attempt: number }) => void;
}

/** Failures worth another attempt: nothing arrived, or the server was busy or down. */
function isRetryable(error: ChatError): boolean {
  return (
    error.code === "network" ||
    error.code === "timeout" ||
    error.code === "unavailable" ||
    error.code === "rate_limited" ||
    (error.status !== undefined && error.status >= 500)
  );
}

/**
 * `POST /v1/media` with retries. Every attempt carries the same `clientMediaId`,
 * so however many of them reached the server, there is one media (a repeat is
 * answered `200` with the first). Refusals (`too_large`, `bad_request`,
 * `unauthorized`) are not retried.
 */
export class MediaUploader {
  private readonly ids: ClientMsgIdMaker;
  private readonly timers: Timers;

  constructor(private readonly options: MediaUploaderOptions) {
    this.ids = new ClientMsgIdMaker(options.now ?? Date.now, options.random ?? Math.random);
    this.timers = options.timers ?? systemTimers;
  }

  async upload(input: UploadMediaInput): Promise<Media> {
    const clientMediaId = input.clientMediaId ?? this.ids.next();
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(input, clientMediaId, attempt);
      } catch (error) {
        const failure = error instanceof ChatError ? error : new ChatError("network", String(error));
        if (!isRetryable(failure) || attempt + 1 >= maxAttempts) throw failure;
        const delay = retryDelayMs(
          attempt,
          this.options.random ?? Math.random,
          this.options.backoff ?? DEFAULT_BACKOFF,
        );
        await new Promise<void>((resolve) => this.timers.setTimeout(resolve, delay));
      }
    }
  }

  private async attempt(input: UploadMediaInput, clientMediaId: string, attempt: number): Promise<Media> {
    const fields: Record<string, string> = { kind: input.kind, clientMediaId };
    if (input.durationMs !== undefined) fields.durationMs = String(Math.round(input.durationMs));
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    const onProgress = input.onProgress;
    const sent = this.options.upload.upload({
      url: `${this.options.httpBase.replace(/\/+$/, "")}/v1/media`,
      headers: { accept: "application/json", authorization: `Bearer ${await this.options.getToken()}` },
      fields,
      fileField: "file",
      file: input.file,
      timeoutMs,
      ...(onProgress ? { onProgress: (progress: UploadProgress) => onProgress({ ...progress, attempt }) } : {}),
    });
    const response = await this.withTimeout(sent, timeoutMs);
    const json = parseJson(response.body);
    if (response.status === 200 || response.status === 201) {
      const parsed = parseWith(MediaResponseSchema, json);
      if (parsed.ok) return parsed.value.media;
      throw new ChatError("internal", `unexpected response from /v1/media: ${parsed.error.message}`, response.status);
    }
    throw errorOf(response, json);
  }

  private withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(
        () => reject(new ChatError("timeout", `no upload response within ${timeoutMs} ms`)),
        timeoutMs,
      );
      work.then(
        (value) => {
          this.timers.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.timers.clearTimeout(timer);
          reject(error instanceof ChatError ? error : new ChatError("network", describe(error)));
        },
      );
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "errMsg" in error) return String(error.errMsg);
  return String(error);
}
