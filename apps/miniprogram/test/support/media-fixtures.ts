import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Media } from "@mpchat/protocol";
import { TestClient, type TestServer } from "@mpchat/server/testing";
import { photo } from "../../../server/test/media/test-images";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../../../server/test/media/fixtures");

/** What the tests send: real JPEGs (sharp), the server's AAC fixture, a small PDF. */
export { photo };

/** 2 s of ADTS AAC (what the recorder's format "aac" writes); `times` copies make a longer clip. */
export async function voiceClip(times = 1): Promise<Uint8Array> {
  const one = await readFile(join(fixtures, "voice-2s.aac"));
  return new Uint8Array(Buffer.concat(Array.from({ length: times }, () => one)));
}

/** A tiny but well-formed PDF (the file kind takes any content; this one opens anywhere). */
export function pdfBytes(): Uint8Array {
  return new TextEncoder().encode(
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
}

/**
 * Another user sending media from outside the app (a raw protocol client, as another device
 * would): upload with POST /v1/media, then `send` a body naming it.
 */
export class MediaPeer {
  private count = 0;
  private constructor(
    private readonly server: TestServer,
    readonly client: TestClient,
  ) {}

  static async connect(server: TestServer, userId: string, name?: string): Promise<MediaPeer> {
    return new MediaPeer(server, await TestClient.connect(server, userId, name));
  }

  async upload(kind: Media["kind"], bytes: Uint8Array, filename: string): Promise<Media> {
    // As wx.uploadFile sends it: the text fields, then the file part.
    const form = new FormData();
    form.append("kind", kind);
    form.append("clientMediaId", `peer-${++this.count}-${Math.random().toString(36).slice(2, 8)}`);
    form.append("file", new Blob([new Uint8Array(bytes)]), filename);
    const response = await fetch(`${this.server.httpUrl}/v1/media`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${this.client.token}` },
    });
    const body = (await response.json()) as { media: Media };
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
    return body.media;
  }

  /** Sends the body of an uploaded media (the server fills its fields from the record). */
  async send(conversationId: string, media: Media): Promise<void> {
    const body =
      media.kind === "image"
        ? { kind: "image" as const, mediaId: media.id, width: media.width ?? 0, height: media.height ?? 0 }
        : media.kind === "voice"
          ? { kind: "voice" as const, mediaId: media.id, durationMs: media.durationMs ?? 0 }
          : { kind: "file" as const, mediaId: media.id, name: media.name ?? "file", size: media.size };
    const answer = await this.client.request({
      type: "send",
      conversationId,
      clientMsgId: `peer-msg-${++this.count}`,
      body,
    });
    if (answer.type !== "ack") throw new Error(`send answered ${JSON.stringify(answer)}`);
  }

  close(): void {
    this.client.socket.close();
  }
}
