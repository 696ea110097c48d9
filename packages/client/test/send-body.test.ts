import { startTestServer, type TestServer } from "@mpchat/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchUpload } from "../src/adapters/fetch-upload";
import { SendFailedError } from "../src/errors";
import { MediaUploader } from "../src/media-uploader";
import { login, realClient, until } from "./support/real-server";

/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe("ChatClient.sendBody against a real server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("sends an uploaded image and a reply through the outbox; the peer gets both with the server's fields", async () => {
    const aliceToken = await login(server, "sb_alice");
    const alice = realClient(server, aliceToken);
    const bob = realClient(server, await login(server, "sb_bob"));
    try {
      alice.client.connect();
      bob.client.connect();
      const direct = await alice.client.createDirect("sb_bob");
      const uploader = new MediaUploader({
        httpBase: server.httpUrl,
        upload: fetchUpload(fetch as never, FormData as never),
        getToken: () => aliceToken,
      });
      const media = await uploader.upload({ kind: "image", file: { data: new Blob([PNG]), name: "dot.png" } });
      const image = await alice.client.sendBody(direct.id, { kind: "image", mediaId: media.id, width: 99, height: 99 })
        .done;
      const reply = await alice.client.sendBody(direct.id, {
        kind: "text",
        text: "看这个",
        replyTo: { seq: image.seq },
      }).done;
      // The sender's copy is built from the ack (which carries no body) and the original the client
      // holds: the reply gets the original's sender and kind as the server fills them.
      expect([image.seq, reply.seq]).toEqual([1, 2]);
      expect(reply.body).toEqual({
        kind: "text",
        text: "看这个",
        replyTo: { seq: 1, senderId: "sb_alice", kind: "image" },
      });
      // What the server stored and pushed: the media record's size, the reply filled from the original.
      await until(bob.client, () => bob.received.length === 2, "bob's two messages");
      expect(bob.received.map((m) => m.body)).toEqual([
        { kind: "image", mediaId: media.id, width: 1, height: 1 },
        { kind: "text", text: "看这个", replyTo: { seq: 1, senderId: "sb_alice", kind: "image" } },
      ]);
      expect(alice.client.outbox()).toEqual([]);
    } finally {
      alice.client.close();
      bob.client.close();
    }
  });

  it("refuses bodies the server refuses for good: another user's media, a reply to no message, an empty text", async () => {
    const carolToken = await login(server, "sb_carol");
    const carol = realClient(server, carolToken);
    const dave = realClient(server, await login(server, "sb_dave"));
    try {
      carol.client.connect();
      const direct = await carol.client.createDirect("sb_dave");
      const davesMedia = await new MediaUploader({
        httpBase: server.httpUrl,
        upload: fetchUpload(fetch as never, FormData as never),
        getToken: () => login(server, "sb_dave"),
      }).upload({ kind: "image", file: { data: new Blob([PNG]), name: "dot.png" } });
      const refusals = await Promise.all(
        [
          { kind: "image" as const, mediaId: davesMedia.id, width: 1, height: 1 },
          { kind: "text" as const, text: "回复", replyTo: { seq: 999 } },
          { kind: "text" as const, text: "" },
        ].map((body) =>
          carol.client.sendBody(direct.id, body).done.then(
            () => "stored",
            (error: unknown) => (error instanceof SendFailedError ? error.code : String(error)),
          ),
        ),
      );
      expect(refusals).toEqual(["forbidden", "bad_request", "bad_request"]);
      // Nothing stored; the conversation still takes a good message.
      const ok = await carol.client.send(direct.id, "still here").done;
      expect(ok.seq).toBe(1);
    } finally {
      carol.client.close();
      dave.client.close();
    }
  });
});
