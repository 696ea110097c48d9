import { randomBytes } from "node:crypto";
import type { ClientBody, Media, MessageFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devLogin } from "./support/api";
import { TestClient } from "./support/client";
import { cid, fixture, type MediaUser, photo, startMediaServer, upload } from "./support/media-uploads";
import type { TestServer } from "./support/server";

describe("media message bodies and replies (one server, SQLite, real sockets)", () => {
  let server: TestServer;
  let alice: MediaUser;
  let conversationId: string;
  let sender: TestClient;
  let peer: TestClient;
  let image: Media;
  let voice: Media;
  let file: Media;
  let bobsImage: Media;

  beforeAll(async () => {
    ({ server, alice } = await startMediaServer(() => Date.now()));
    const bob = (await devLogin(server, "bob", "Bob")) as MediaUser;
    image = (await upload(server, alice.token, { kind: "image", clientMediaId: cid() }, await photo(40, 30))).body
      .media;
    voice = (
      await upload(server, alice.token, { kind: "voice", clientMediaId: cid() }, await fixture("voice-2s.aac"), "v.aac")
    ).body.media;
    file = (await upload(server, alice.token, { kind: "file", clientMediaId: cid() }, randomBytes(321), "notes.pdf"))
      .body.media;
    bobsImage = (await upload(server, bob.token, { kind: "image", clientMediaId: cid() }, await photo(20, 20))).body
      .media;
    sender = await TestClient.connect(server, "alice");
    peer = await TestClient.connect(server, "bob");
    conversationId = (await sender.api(server).createDirect("bob")).id;
  });
  afterAll(async () => {
    await sender?.close();
    await peer?.close();
    await server?.close();
  });

  const send = async (body: unknown) => {
    const answer = await sender.request({
      type: "send",
      conversationId,
      clientMsgId: cid(),
      body: body as ClientBody,
    });
    return answer;
  };
  const sent = async (body: unknown): Promise<MessageFrame["message"]> => {
    const answer = await send(body);
    if (answer.type !== "ack") throw new Error(`expected ack, got ${JSON.stringify(answer)}`);
    const pushed = await peer.waitFor(
      (f): f is MessageFrame => f.type === "message" && f.message.id === answer.messageId,
    );
    expect(pushed.message.seq).toBe(answer.seq);
    return pushed.message;
  };

  it("stores and pushes image, voice and file bodies with the media record's values, not the client's", async () => {
    const img = await sent({ kind: "image", mediaId: image.id, width: 9999, height: 1 });
    expect(img.body).toEqual({ kind: "image", mediaId: image.id, width: image.width, height: image.height });
    expect([image.width, image.height]).toEqual([30, 40]); // taken sideways: stored upright
    const vc = await sent({ kind: "voice", mediaId: voice.id, durationMs: 1 });
    expect(vc.body).toEqual({ kind: "voice", mediaId: voice.id, durationMs: voice.durationMs });
    expect(voice.durationMs).toBeGreaterThan(1000);
    const fl = await sent({ kind: "file", mediaId: file.id, name: "fake.exe", size: 1 });
    expect(fl.body).toEqual({ kind: "file", mediaId: file.id, name: "notes.pdf", size: 321 });
    const history = await sender.api(server).history(conversationId);
    expect(history.messages.map((m) => m.body)).toEqual(expect.arrayContaining([img.body, vc.body, fl.body]));
  });

  it.each([
    ["another user's media", () => ({ kind: "image", mediaId: bobsImage.id, width: 1, height: 1 })],
    ["media of another kind (voice as image)", () => ({ kind: "image", mediaId: voice.id, width: 1, height: 1 })],
    ["media of another kind (image as file)", () => ({ kind: "file", mediaId: image.id, name: "x", size: 1 })],
    ["media of another kind (file as voice)", () => ({ kind: "voice", mediaId: file.id, durationMs: 1 })],
    ["unknown media", () => ({ kind: "image", mediaId: "nosuchmedia", width: 1, height: 1 })],
  ])("refuses %s as forbidden and stores nothing", async (_, body) => {
    const before = (await sender.api(server).history(conversationId)).messages.length;
    expect(await send(body())).toMatchObject({ type: "error", code: "forbidden" });
    expect((await sender.api(server).history(conversationId)).messages.length).toBe(before);
  });

  it("fills a reply from the stored original, ignoring the client's senderId, kind and preview", async () => {
    const long = `${"長".repeat(59)}😀tail`;
    const original = await sent({ kind: "text", text: long });
    const reply = await sent({
      kind: "text",
      text: "yes",
      replyTo: { seq: original.seq, senderId: "bob", kind: "image", preview: "forged" },
    });
    expect(reply.body).toEqual({
      kind: "text",
      text: "yes",
      replyTo: { seq: original.seq, senderId: "alice", kind: "text", preview: `${"長".repeat(59)}😀` },
    });
    const img = (await sender.api(server).history(conversationId)).messages.find((m) => m.body.kind === "image");
    const toImage = await sent({ kind: "voice", mediaId: voice.id, durationMs: 1, replyTo: { seq: img?.seq ?? 0 } });
    expect(toImage.body).toMatchObject({ replyTo: { seq: img?.seq, senderId: "alice", kind: "image" } });
    expect((toImage.body as { replyTo: object }).replyTo).not.toHaveProperty("preview");
  });

  it.each([0, 1_000_000])("refuses a reply to seq %j that does not exist as bad_request", async (seq) => {
    expect(await send({ kind: "text", text: "x", replyTo: { seq } })).toMatchObject({
      type: "error",
      code: "bad_request",
    });
  });
});
