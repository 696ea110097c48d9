import { randomBytes } from "node:crypto";
import type { ClientBody, Media } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, devLogin } from "./support/api";
import { TestClient } from "./support/client";
import { cid, download, fixture, type MediaUser, photo, startMediaServer, upload } from "./support/media-uploads";
import type { TestServer } from "./support/server";

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(["sqlite", "mysql"] as const)(
  "GET /v1/media/:id for the members of a conversation in which a message shows it (%s, local media store)",
  (store) => {
    let server: TestServer;
    let alice: MediaUser;
    let bob: MediaUser;
    let carol: MediaUser;
    let dave: MediaUser;
    let sender: TestClient;
    let direct: string;
    let group: string;
    let daves: string;
    let clock = Date.now();

    beforeAll(async () => {
      ({ server, alice } = await startMediaServer(() => clock, store));
      carol = (await devLogin(server, "carol", "Carol")) as MediaUser;
      bob = (await devLogin(server, "bob", "Bob")) as MediaUser;
      dave = (await devLogin(server, "dave", "Dave")) as MediaUser;
      direct = (await api(server, alice.token).createDirect("bob")).id;
      group = (await api(server, alice.token).createGroup("trip", ["bob"])).id;
      // dave shares a conversation with alice, but not the ones the media is sent in.
      daves = (await api(server, alice.token).createDirect("dave")).id;
      sender = await TestClient.connect(server, "alice");
    });
    afterAll(async () => {
      await sender?.close();
      await server?.close();
    });

    const uploadImage = async () =>
      (await upload(server, alice.token, { kind: "image", clientMediaId: cid() }, await photo(80, 60))).body.media;
    const send = async (conversationId: string, body: ClientBody) => {
      const answer = await sender.request({ type: "send", conversationId, clientMsgId: cid(), body });
      expect(answer.type).toBe("ack");
    };
    const imageBody = (media: Media): ClientBody => ({ kind: "image", mediaId: media.id, width: 1, height: 1 });
    const statusOf = async (path: string, user: MediaUser) => (await download(server, path, user.mediaToken)).status;

    it("serves the image and its thumb to the recipient of a direct message, and nobody outside it", async () => {
      const image = await uploadImage();
      const original = `/v1/media/${image.id}`;
      const thumb = `${original}/thumb`;
      // Not yet sent: only the uploader.
      expect(await statusOf(original, bob)).toBe(404);
      await send(direct, imageBody(image));
      const response = await download(server, original, bob.mediaToken);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/jpeg");
      const bytes = Buffer.from(await response.arrayBuffer());
      const mine = Buffer.from(await (await download(server, original, alice.mediaToken)).arrayBuffer());
      expect(bytes.equals(mine)).toBe(true);
      const thumbResponse = await download(server, thumb, bob.mediaToken);
      expect(thumbResponse.status).toBe(200);
      expect(thumbResponse.headers.get("content-type")).toBe("image/jpeg");
      for (const [label, user] of [
        ["carol, in no conversation with it", carol],
        ["dave, a member of another conversation", dave],
      ] as const) {
        expect(await statusOf(original, user), label).toBe(404);
        expect(await statusOf(thumb, user), label).toBe(404);
      }
    });

    it("serves image, voice and file of a group message to its members; another conversation's member gets 404", async () => {
      const image = await uploadImage();
      const voice = (
        await upload(
          server,
          alice.token,
          { kind: "voice", clientMediaId: cid() },
          await fixture("voice-2s.aac"),
          "v.aac",
        )
      ).body.media;
      const file = (
        await upload(server, alice.token, { kind: "file", clientMediaId: cid() }, randomBytes(2000), "plan.pdf")
      ).body.media;
      await send(group, imageBody(image));
      await send(group, { kind: "voice", mediaId: voice.id, durationMs: 1 });
      await send(group, { kind: "file", mediaId: file.id, name: "x", size: 1 });
      // The same image in dave's conversation too: dave may see it, but not the voice or the file.
      const paths = [
        `/v1/media/${image.id}`,
        `/v1/media/${image.id}/thumb`,
        `/v1/media/${voice.id}`,
        `/v1/media/${file.id}`,
      ];
      for (const path of paths) expect(await statusOf(path, bob), path).toBe(200);
      for (const path of paths) expect(await statusOf(path, dave), path).toBe(404);
      for (const path of paths) expect(await statusOf(path, carol), path).toBe(404);
      const range = await download(server, `/v1/media/${file.id}`, bob.mediaToken, { range: "bytes=0-9" });
      expect([range.status, range.headers.get("content-range")]).toEqual([206, "bytes 0-9/2000"]);

      await send(daves, imageBody(image));
      expect(await statusOf(`/v1/media/${image.id}`, dave)).toBe(200);
      expect(await statusOf(`/v1/media/${voice.id}`, dave)).toBe(404);
      expect(await statusOf(`/v1/media/${image.id}`, carol)).toBe(404);
    });

    it("does not open media to whoever reads its id in a text message", async () => {
      const image = await uploadImage();
      await send(direct, { kind: "text", text: `look: ${image.id}` });
      expect(await statusOf(`/v1/media/${image.id}`, bob)).toBe(404);
    });

    it("a group member added later sees the media sent before", async () => {
      const image = await uploadImage();
      await send(group, imageBody(image));
      expect(await statusOf(`/v1/media/${image.id}`, carol)).toBe(404);
      await api(server, alice.token).addMembers(group, ["carol"]);
      expect(await statusOf(`/v1/media/${image.id}`, carol)).toBe(200);
    });

    it("the collector keeps media a message shows and deletes the unreferenced after 24 h", async () => {
      const shown = await uploadImage();
      const loose = await uploadImage();
      const named = await uploadImage();
      await send(direct, imageBody(shown));
      await send(direct, { kind: "text", text: named.id });
      clock += DAY_MS - 1000;
      await server.app.mediaCollector.collect();
      for (const media of [shown, loose, named])
        expect(await server.store.findMedia(media.id), media.id).not.toBeNull();
      clock += 2000;
      await server.app.mediaCollector.collect();
      expect(await server.store.findMedia(shown.id)).not.toBeNull();
      expect(await server.store.findMedia(loose.id)).toBeNull();
      // An id inside a text references nothing.
      expect(await server.store.findMedia(named.id)).toBeNull();
      expect(await statusOf(`/v1/media/${shown.id}`, bob)).toBe(200);
      expect(await statusOf(`/v1/media/${shown.id}/thumb`, bob)).toBe(200);
      expect(await statusOf(`/v1/media/${loose.id}`, alice)).toBe(404);
    });
  },
);
