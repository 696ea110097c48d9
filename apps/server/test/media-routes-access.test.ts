import { randomBytes } from "node:crypto";
import type { ReadyFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, devLogin } from "./support/api";
import { TestClient } from "./support/client";
import { cid, download, type MediaUser, photo, startMediaServer, storedFiles, upload } from "./support/media-uploads";
import type { TestServer } from "./support/server";

describe("GET /v1/media/:id access: Range, tokens, avatars, collection (one server, SQLite, local media store)", () => {
  let server: TestServer;
  let alice: MediaUser;
  let stranger: MediaUser;
  let clock = Date.now();

  beforeAll(async () => {
    ({ server, alice, stranger } = await startMediaServer(() => clock));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("serves one Range: first bytes, a suffix, and 416 outside", async () => {
    const bytes = randomBytes(1000);
    const { body } = await upload(server, alice.token, { kind: "file", clientMediaId: cid() }, bytes);
    const path = `/v1/media/${body.media.id}`;
    const first = await download(server, path, alice.mediaToken, { range: "bytes=0-9" });
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe("bytes 0-9/1000");
    expect(first.headers.get("content-length")).toBe("10");
    expect(Buffer.from(await first.arrayBuffer()).equals(bytes.subarray(0, 10))).toBe(true);
    const suffix = await download(server, path, alice.mediaToken, { range: "bytes=-5" });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get("content-range")).toBe("bytes 995-999/1000");
    expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(995))).toBe(true);
    const open = await download(server, path, alice.mediaToken, { range: "bytes=990-" });
    expect([open.status, open.headers.get("content-range")]).toEqual([206, "bytes 990-999/1000"]);
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes.subarray(990))).toBe(true);
    for (const range of ["bytes=1000-", "bytes=5000-6000"]) {
      const outside = await download(server, path, alice.mediaToken, { range });
      expect(outside.status, range).toBe(416);
      expect(outside.headers.get("content-range"), range).toBe("bytes */1000");
    }
  });

  it("answers 404 to a stranger, a missing or wrong token, a token after logout, and an unknown id", async () => {
    const { body } = await upload(server, alice.token, { kind: "image", clientMediaId: cid() }, await photo(50, 50));
    const path = `/v1/media/${body.media.id}`;
    const second = (await devLogin(server, "alice")) as typeof alice;
    expect((await download(server, path, second.mediaToken)).status).toBe(200);
    await api(server, second.token).raw("POST", "/v1/auth/logout");
    const [tokenPart, sessionPart] = alice.mediaToken.split(".");
    const refused: [string, string, string | undefined][] = [
      ["a stranger", path, stranger.mediaToken],
      ["no token", path, undefined],
      ["an empty token", path, ""],
      ["the access token", path, alice.token],
      ["a forged mac", path, `${tokenPart}.${sessionPart}.${"A".repeat(43)}`],
      ["another user in a token", path, `stranger.${sessionPart}.${alice.mediaToken.split(".")[2]}`],
      ["a logged-out session", path, second.mediaToken],
      ["a stranger's thumb", `${path}/thumb`, stranger.mediaToken],
      ["an unknown id", "/v1/media/nosuchmedia", alice.mediaToken],
    ];
    for (const [label, p, t] of refused) {
      const response = await download(server, p, t);
      expect(response.status, label).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code, label).toBe("not_found");
    }
    expect((await download(server, path, alice.mediaToken)).status).toBe(200);
  });

  it("gives the login answers, refresh and ready a media token that works", async () => {
    const login = (await devLogin(server, "carol")) as typeof alice;
    const { body } = await upload(server, login.token, { kind: "file", clientMediaId: cid() }, randomBytes(10));
    const refreshed = await api(server, login.token).raw("POST", "/v1/auth/refresh");
    const refreshToken = (refreshed.body as { mediaToken: string }).mediaToken;
    expect(refreshToken).toBe(login.mediaToken);
    const client = await TestClient.connect(server, "carol");
    try {
      const ready = client.frames.find((f): f is ReadyFrame => f.type === "ready");
      expect(typeof ready?.mediaToken).toBe("string");
      expect((await download(server, `/v1/media/${body.media.id}`, ready?.mediaToken)).status).toBe(200);
    } finally {
      await client.close();
    }
  });

  it("serves an avatar to whoever shares a conversation with its user, and nothing else of theirs", async () => {
    const dave = (await devLogin(server, "dave")) as typeof alice;
    const erin = (await devLogin(server, "erin")) as typeof alice;
    const avatar = (await upload(server, dave.token, { kind: "image", clientMediaId: cid() }, await photo(64, 64))).body
      .media;
    const other = (await upload(server, dave.token, { kind: "image", clientMediaId: cid() }, await photo(64, 64))).body
      .media;
    expect((await api(server, dave.token).raw("PATCH", "/v1/me", { avatarMediaId: avatar.id })).status).toBe(200);
    expect((await download(server, `/v1/media/${avatar.id}`, erin.mediaToken)).status).toBe(404);
    await api(server, dave.token).createDirect("erin");
    expect((await download(server, `/v1/media/${avatar.id}`, erin.mediaToken)).status).toBe(200);
    expect((await download(server, `/v1/media/${avatar.id}/thumb`, erin.mediaToken)).status).toBe(200);
    expect((await download(server, `/v1/media/${other.id}`, erin.mediaToken)).status).toBe(404);
    expect((await download(server, `/v1/media/${avatar.id}`, stranger.mediaToken)).status).toBe(404);
  });

  it("serves a message's image to the conversation's members, not to other users nor before it is sent", async () => {
    const hana = (await devLogin(server, "hana")) as typeof alice;
    const ivan = (await devLogin(server, "ivan")) as typeof alice;
    const judy = (await devLogin(server, "judy")) as typeof alice;
    const sender = await TestClient.connect(server, "hana");
    try {
      const media = (await upload(server, hana.token, { kind: "image", clientMediaId: cid() }, await photo(80, 60)))
        .body.media;
      const direct = await api(server, hana.token).createDirect("ivan");
      await api(server, judy.token).createDirect("hana");
      const status = async (user: MediaUser, suffix = "") =>
        (await download(server, `/v1/media/${media.id}${suffix}`, user.mediaToken)).status;
      // Uploaded, not sent: the uploader's only.
      expect([await status(hana), await status(ivan), await status(judy)]).toEqual([200, 404, 404]);
      const ack = await sender.request({
        type: "send",
        conversationId: direct.id,
        clientMsgId: cid(),
        body: { kind: "image", mediaId: media.id, width: 1, height: 1 },
      });
      expect(ack.type).toBe("ack");
      expect([await status(ivan), await status(ivan, "/thumb")]).toEqual([200, 200]);
      // judy shares a conversation with the sender, not the one the image is in.
      expect([await status(judy), await status(stranger)]).toEqual([404, 404]);
    } finally {
      sender.close();
    }
  });

  it("collects media no avatar references after 24 h, with its objects, and keeps avatars and younger media", async () => {
    const frank = (await devLogin(server, "frank")) as typeof alice;
    const up = async () =>
      (await upload(server, frank.token, { kind: "image", clientMediaId: cid() }, await photo(64, 48))).body.media;
    const loose = await up();
    const avatar = await up();
    await api(server, frank.token).raw("PATCH", "/v1/me", { avatarMediaId: avatar.id });
    const looseRecord = await server.store.findMedia(loose.id);
    clock += 24 * 60 * 60 * 1000 - 1000;
    const young = await up();
    expect(await server.app.mediaCollector.collect()).toBe(0);
    clock += 2000;
    expect(await server.app.mediaCollector.collect()).toBeGreaterThanOrEqual(1);
    expect(await server.store.findMedia(loose.id)).toBeNull();
    const files = (await storedFiles(server)).map((f) => f.split("/").pop());
    expect(files).not.toContain(looseRecord?.storageKey);
    expect(files).not.toContain(looseRecord?.thumbnailKey);
    expect((await download(server, `/v1/media/${loose.id}`, frank.mediaToken)).status).toBe(404);
    expect((await download(server, `/v1/media/${avatar.id}`, frank.mediaToken)).status).toBe(200);
    expect((await download(server, `/v1/media/${young.id}`, frank.mediaToken)).status).toBe(200);
  });

  it("keeps media a message shows, after 24 h too", async () => {
    const login = (await devLogin(server, "grace")) as typeof alice;
    const grace = await TestClient.connect(server, "grace");
    try {
      const media = (await upload(server, login.token, { kind: "image", clientMediaId: cid() }, await photo(32, 32)))
        .body.media;
      const direct = await api(server, login.token).createDirect("frank");
      const ack = await grace.request({
        type: "send",
        conversationId: direct.id,
        clientMsgId: cid(),
        body: { kind: "image", mediaId: media.id, width: 1, height: 1 },
      });
      expect(ack.type).toBe("ack");
      clock += 25 * 60 * 60 * 1000;
      await server.app.mediaCollector.collect();
      expect(await server.store.findMedia(media.id)).not.toBeNull();
      expect((await download(server, `/v1/media/${media.id}`, login.mediaToken)).status).toBe(200);
    } finally {
      await grace.close();
    }
  });
});
