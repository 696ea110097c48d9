import type { PickedFile } from "./media-pick";
import type { PageState } from "./page-state";

/**
 * Sends a picked image or file, or a recording: the client writes the upload and the message to
 * the outbox first, uploads (progress on the pending bubble), then sends; a failure shows on the
 * bubble through the outbox event, where a tap retries, so the promise needs no handler here.
 */
export function sendPicked(state: PageState, file: PickedFile): void {
  state.chat.client
    .sendMedia(state.conversationId, {
      kind: file.kind,
      file: file.name === undefined ? { filePath: file.path } : { filePath: file.path, name: file.name },
    })
    .done.catch(() => undefined);
}

export function sendVoice(state: PageState, clip: { path: string; durationMs: number }): void {
  state.chat.client
    .sendMedia(state.conversationId, { kind: "voice", file: { filePath: clip.path }, durationMs: clip.durationMs })
    .done.catch(() => undefined);
  state.scroll.follow();
}
