import type { Media } from "@mpchat/protocol";
import type { UploadClient, UploadRequest } from "../../src/ports/upload";

/** What the next upload call does: fail on the network, answer an error, wait for the test, or (default) store it. */
export type UploadStep = "network" | "hang" | { status: number; code: string };

/**
 * `POST /v1/media` as a fake: records every request, answers as `steps` say
 * (then success), and, like the server, gives one media per clientMediaId
 * (201 the first time, 200 after). Reports progress in two steps.
 */
export class FakeUploads implements UploadClient {
  readonly requests: UploadRequest[] = [];
  /** The next calls' behaviour, in order. */
  steps: UploadStep[] = [];
  /** Releases of `hang` calls: each stores the media and answers. */
  readonly held: Array<() => void> = [];
  readonly stored = new Map<string, Media>();

  upload(request: UploadRequest): Promise<{ status: number; body: string }> {
    this.requests.push(request);
    const step = this.steps.shift();
    if (step === "network") return Promise.reject(new Error("socket hang up"));
    if (typeof step === "object") {
      const body = JSON.stringify({ error: { code: step.code, message: `test ${step.code}` } });
      return Promise.resolve({ status: step.status, body });
    }
    const answer = () => {
      request.onProgress?.({ sent: 50, total: 100 });
      request.onProgress?.({ sent: 100, total: 100 });
      return this.answer(request);
    };
    if (step === "hang") return new Promise((resolve) => this.held.push(() => resolve(answer())));
    return Promise.resolve(answer());
  }

  /** The clientMediaIds of the requests made so far. */
  get clientMediaIds(): string[] {
    return this.requests.map((request) => request.fields.clientMediaId ?? "");
  }

  private answer(request: UploadRequest): { status: number; body: string } {
    const { kind, clientMediaId = "", durationMs } = request.fields;
    const known = this.stored.get(clientMediaId);
    if (known) return { status: 200, body: JSON.stringify({ media: known }) };
    const id = `m-${clientMediaId}`;
    const media: Media =
      kind === "image"
        ? { id, kind, mime: "image/jpeg", size: 2048, width: 640, height: 480 }
        : kind === "voice"
          ? { id, kind, mime: "audio/aac", size: 900, durationMs: Number(durationMs ?? 1000) }
          : { id, kind: "file", mime: "application/pdf", size: 1234, name: request.file.name ?? "upload" };
    this.stored.set(clientMediaId, media);
    return { status: 201, body: JSON.stringify({ media }) };
  }
}
