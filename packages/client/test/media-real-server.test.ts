import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Media, Message } from "@mpchat/protocol";
import { fixture, MiB, photo, storedFiles, type TestServer } from "@mpchat/server/testing";
import { describe, expect, it } from "vitest";
import { fetchUpload } from "../src/adapters/fetch-upload";
import { memoryStorage } from "../src/adapters/storages";
import type { ChatClient } from "../src/chat-client";
import type { OutboxEntry } from "../src/outbox-entry";
import type { UploadClient, UploadRequest } from "../src/ports/upload";
import { RestApi } from "../src/rest-api";
import { FaultProxy } from "./support/fault-proxy";
import { nodeHttp, nodeTransport, realClient, until, useRealServer } from "./support/real-server";
import { seededRandom } from "./support/seeded-random";
import { TapTransport } from "./support/tap-transport";

/** A Blob of the bytes (the DOM lib's Blob takes ArrayBuffer-backed views only). */
const blob = (bytes: Uint8Array | string) =>
  new Blob([typeof bytes === "string" ? bytes : (bytes as Uint8Array<ArrayBuffer>)]);
const nodeUpload = fetchUpload(fetch as never, FormData as never);
const quick = { backoff: { baseMs: 50, maxMs: 500 } };

/** Uploads `{ filePath }` files as wx.uploadFile does (a path survives a restart; a Blob does not). */
const pathUpload: UploadClient = {
  upload: async (request) => {
    const { file } = request;
    if (!("filePath" in file)) throw new Error("pathUpload uploads a filePath");
    const data = blob(await readFile(file.filePath));
    return nodeUpload.upload({ ...request, file: { data, name: basename(file.filePath) } });
  },
};

/** fetchUpload, with every request it makes recorded, and what came of it (a status, or `network`). */
function countingUpload(inner: UploadClient = nodeUpload): {
  upload: UploadClient;
  requests: UploadRequest[];
  outcomes: Array<number | "network">;
} {
  const requests: UploadRequest[] = [];
  const outcomes: Array<number | "network"> = [];
  return {
    requests,
    outcomes,
    upload: {
      upload: async (request) => {
        requests.push(request);
        try {
          const response = await inner.upload(request);
          outcomes.push(response.status);
          return response;
        } catch (error) {
          outcomes.push("network");
          throw error;
        }
      },
    },
  };
}

/** The media each of the client's entries recorded, by clientMsgId (seen in `outbox` events). */
function recordedMedia(client: ChatClient): Map<string, Media> {
  const media = new Map<string, Media>();
  client.on("outbox", (entries) => {
    for (const entry of entries) if (entry.upload?.media) media.set(entry.clientMsgId, entry.upload.media);
  });
  return media;
}

const uploadOf = (client: ChatClient, clientMsgId: string): OutboxEntry["upload"] =>
  client.outbox().find((entry) => entry.clientMsgId === clientMsgId)?.upload;

async function loginWithMedia(server: { httpUrl: string }, userId: string) {
  const answer = await new RestApi({ httpBase: server.httpUrl, http: nodeHttp }).devLogin(userId);
  return { token: answer.token, mediaToken: answer.mediaToken ?? "" };
}

async function fetchMedia(server: TestServer, mediaId: string, mediaToken: string) {
  const response = await fetch(`${server.httpUrl}/v1/media/${mediaId}?t=${encodeURIComponent(mediaToken)}`);
  return { status: response.status, type: response.headers.get("content-type"), bytes: await response.bytes() };
}

describe("media messages against the real server", () => {
  const real = useRealServer();

  /** Alice (with an upload port, through `endpoints` when given) and Bob, online, in one group. */
  async function aliceAndBob(
    options: { through?: { httpUrl: string; wsUrl: string }; alice?: Parameters<typeof realClient>[2] } = {},
  ) {
    const server = real.server;
    const aliceLogin = await loginWithMedia(server, "alice");
    const uploads = countingUpload();
    const alice = realClient(options.through ?? server, aliceLogin.token, {
      upload: uploads.upload,
      ...quick,
      ...options.alice,
    });
    const bobLogin = await loginWithMedia(server, "bob");
    const bob = realClient(server, bobLogin.token);
    real.onCleanup(
      () => alice.client.close(),
      () => bob.client.close(),
    );
    alice.client.connect();
    bob.client.connect();
    await until(alice.client, () => alice.client.state === "online", "alice online");
    await until(bob.client, () => bob.client.state === "online", "bob online");
    const group = await alice.client.createGroup("pictures", ["bob"]);
    return { alice, bob, group, uploads, aliceLogin, bobLogin };
  }

  it("image, voice and file messages reach the peer with the bodies of the stored media; both fetch the bytes", {
    timeout: 60_000,
  }, async () => {
    const server = await real.start();
    const { alice, bob, group, uploads, aliceLogin, bobLogin } = await aliceAndBob();
    const media = recordedMedia(alice.client);
    const question = await alice.client.send(group.id, "look at this").done;
    // Taken sideways (EXIF orientation 6): stored upright, so 600 wide and 800 high.
    const jpeg = await photo(800, 600);
    const aac = await fixture("voice-2s.aac");
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(50_000)]);
    const handles = [
      alice.client.sendMedia(group.id, {
        kind: "image",
        file: { data: blob(jpeg), name: "p.jpg" },
        replyTo: { seq: question.seq },
      }),
      alice.client.sendMedia(group.id, { kind: "voice", file: { data: blob(aac), name: "v.aac" }, durationMs: 2000 }),
      alice.client.sendMedia(group.id, { kind: "file", file: { data: blob(pdf), name: "report.pdf" } }),
    ];
    const sent = await Promise.all(handles.map((h) => h.done));
    await until(bob.client, () => bob.received.length === 4, "bob receives all four");
    expect(uploads.requests.map((r) => r.fields.kind)).toEqual(["image", "voice", "file"]);

    const [image, voice, file] = handles.map((h) => media.get(h.clientMsgId) as Media);
    expect(image).toMatchObject({ kind: "image", mime: "image/jpeg", width: 600, height: 800 });
    expect(voice?.durationMs).toBeGreaterThan(1_800);
    expect(voice?.durationMs).toBeLessThan(2_200);
    expect(file).toMatchObject({ kind: "file", name: "report.pdf", size: pdf.length });
    const byClientMsgId = new Map(bob.received.map((m) => [m.clientMsgId, m]));
    const bodyAtBob = (i: number) => byClientMsgId.get(handles[i]?.clientMsgId ?? "")?.body;
    expect(bodyAtBob(0)).toEqual({
      kind: "image",
      mediaId: image?.id,
      width: 600,
      height: 800,
      replyTo: { seq: question.seq, senderId: "alice", kind: "text", preview: "look at this" },
    });
    expect(bodyAtBob(1)).toEqual({ kind: "voice", mediaId: voice?.id, durationMs: voice?.durationMs });
    expect(bodyAtBob(2)).toEqual({ kind: "file", mediaId: file?.id, name: "report.pdf", size: pdf.length });
    // The sender's own copies (built from the ack, the reply completed from the original) have the same bodies.
    expect(sent.map((m) => m.body)).toEqual([0, 1, 2].map(bodyAtBob));
    expect(alice.client.messages(group.id).map((m) => m.body)).toEqual(
      bob.client.messages(group.id).map((m) => m.body),
    );

    // The sender, and the recipient (a member of the conversation whose messages show the media).
    const all = [image, voice, file];
    for (const mediaToken of [aliceLogin.mediaToken, bobLogin.mediaToken]) {
      const back = await Promise.all(all.map((m) => fetchMedia(server, m?.id ?? "", mediaToken)));
      expect(back.map((b) => b.status)).toEqual([200, 200, 200]);
      expect(back[0]?.type).toBe("image/jpeg");
      expect(Buffer.from(back[1]?.bytes ?? []).equals(aac)).toBe(true);
      expect(Buffer.from(back[2]?.bytes ?? []).equals(pdf)).toBe(true);
    }
    // Someone outside the conversation gets 404 for each.
    const stranger = await loginWithMedia(server, "stranger");
    const refused = await Promise.all(all.map((m) => fetchMedia(server, m?.id ?? "", stranger.mediaToken)));
    expect(refused.map((b) => b.status)).toEqual([404, 404, 404]);
  });

  for (const store of ["sqlite", "mysql"] as const) {
    it(`${store}: an upload cut mid-way, then one whose answer is lost, then a WebSocket cut before the ack: one media, one message`, {
      timeout: 90_000,
    }, async () => {
      const server = await real.start({ store });
      const proxy = new FaultProxy({
        targetPort: Number(new URL(server.httpUrl).port),
        random: seededRandom(12),
        requestCuts: [
          { requestLine: "POST /v1/media", afterRequestBytes: 1 * MiB },
          { requestLine: "POST /v1/media", atResponse: true },
        ],
      });
      await proxy.start();
      real.onCleanup(() => void proxy.close());
      const through = { httpUrl: `http://127.0.0.1:${proxy.port}`, wsUrl: `ws://127.0.0.1:${proxy.port}/v1/ws` };
      // The server stores the message, the ack is lost and the WebSocket is cut right then.
      const tap = new TapTransport(nodeTransport);
      let acksLost = 0;
      tap.dropIncoming = (text) => {
        if (acksLost > 0 || !text.includes('"type":"ack"')) return false;
        acksLost += 1;
        queueMicrotask(() => proxy.cutWebSockets());
        return true;
      };
      const { alice, bob, group, uploads, aliceLogin, bobLogin } = await aliceAndBob({
        through,
        alice: { transport: tap },
      });

      const bytes = randomBytes(3 * MiB);
      const handle = alice.client.sendMedia(group.id, { kind: "file", file: { data: blob(bytes), name: "big.bin" } });
      const clientMediaId = uploadOf(alice.client, handle.clientMsgId)?.clientMediaId;
      const message = await handle.done;

      expect(proxy.counts.requestCuts).toBe(2);
      expect(uploads.requests.map((r) => r.fields.clientMediaId)).toEqual([
        clientMediaId,
        clientMediaId,
        clientMediaId,
      ]);
      // The second attempt was stored and its answer lost: the third is answered 200, the media stored first.
      expect(uploads.outcomes).toEqual(["network", "network", 200]);
      expect(acksLost).toBe(1);
      const sends = tap.sent("send").filter((frame) => frame.clientMsgId === handle.clientMsgId);
      expect(sends).toHaveLength(2);
      expect(sends[0]).toEqual(sends[1]);

      const mediaId = (message.body as { mediaId: string }).mediaId;
      const record = await server.store.findMedia(mediaId);
      expect(record).toMatchObject({ clientMediaId, uploaderId: "alice", size: bytes.length });
      // One media: the original alone is in the media store (no copy of an earlier attempt, no temp file).
      expect(await storedFiles(server)).toHaveLength(1);
      const history = await alice.client.api.history(group.id, { afterSeq: 0 });
      expect(history.messages.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
      expect(history.messages[0]?.body).toEqual({ kind: "file", mediaId, name: "big.bin", size: bytes.length });
      await until(bob.client, () => bob.received.length === 1, "bob receives it");
      expect(bob.received.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
      for (const mediaToken of [aliceLogin.mediaToken, bobLogin.mediaToken]) {
        const back = await fetchMedia(server, mediaId, mediaToken);
        expect(Buffer.from(back.bytes).equals(bytes)).toBe(true);
      }
    });
  }

  it("an app killed while its upload's answer was on the way: the new client uploads again with the same clientMediaId (200, the first media), then sends once", {
    timeout: 60_000,
  }, async () => {
    const server = await real.start();
    const storage = memoryStorage();
    // The bytes reach the server and are stored; the app dies before the answer arrives.
    let serverStored: () => void = () => undefined;
    const uploadStored = new Promise<void>((resolve) => {
      serverStored = resolve;
    });
    const dying: UploadClient = {
      upload: async (request) => {
        await pathUpload.upload(request);
        serverStored();
        return new Promise(() => undefined);
      },
    };
    const { alice, bob, group, aliceLogin } = await aliceAndBob({ alice: { storage, upload: dying } });
    const dir = await mkdtemp(join(tmpdir(), "mpchat-client-"));
    real.onCleanup(() => void rm(dir, { recursive: true, force: true }));
    const path = join(dir, "v.aac");
    await writeFile(path, await fixture("voice-2s.aac"));
    const handle = alice.client.sendMedia(group.id, { kind: "voice", file: { filePath: path } });
    const clientMediaId = uploadOf(alice.client, handle.clientMsgId)?.clientMediaId;
    await uploadStored;
    alice.client.close();
    expect(JSON.parse(String(storage.get("mpchat:outbox")))[0]?.upload?.media).toBeUndefined();

    const uploads = countingUpload(pathUpload);
    const restarted = realClient(server, aliceLogin.token, { storage, upload: uploads.upload, ...quick });
    real.onCleanup(() => restarted.client.close());
    restarted.client.connect();
    await until(restarted.client, () => restarted.client.outbox().length === 0, "outbox drained");
    expect(uploads.requests.map((r) => r.fields.clientMediaId)).toEqual([clientMediaId]);
    expect(uploads.outcomes).toEqual([200]);
    expect(await storedFiles(server)).toHaveLength(1);
    await until(bob.client, () => bob.received.length === 1, "bob receives it");
    const history = await restarted.client.api.history(group.id, { afterSeq: 0 });
    expect(history.messages.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(history.messages[0]?.body.kind).toBe("voice");
  });

  it("an app restart between the upload and the send: the new client sends the recorded media once, uploading nothing", {
    timeout: 60_000,
  }, async () => {
    const server = await real.start();
    const storage = memoryStorage();
    // The first run's send never reaches the network: the app is killed right after the upload.
    const tap = new TapTransport(nodeTransport);
    tap.dropOutgoing = (text) => text.includes('"type":"send"');
    const { alice, bob, group, aliceLogin } = await aliceAndBob({ alice: { storage, transport: tap } });
    const jpeg = await photo(64, 48);
    const handle = alice.client.sendMedia(group.id, { kind: "image", file: { data: blob(jpeg), name: "p.jpg" } });
    await until(alice.client, () => uploadOf(alice.client, handle.clientMsgId)?.state === "uploaded", "uploaded");
    const storedEntry = JSON.parse(String(storage.get("mpchat:outbox")))[0] as OutboxEntry;
    expect(storedEntry.upload?.media?.kind).toBe("image");
    expect(tap.sent("send")).toHaveLength(1);
    alice.client.close();
    expect((await alice.client.api.history(group.id, { afterSeq: 0 })).messages).toEqual([]);

    const uploads = countingUpload();
    const restarted = realClient(server, aliceLogin.token, { storage, upload: uploads.upload, ...quick });
    real.onCleanup(() => restarted.client.close());
    const sent: Message[] = [];
    restarted.client.on("sent", (event) => sent.push(event.message));
    restarted.client.connect();
    await until(restarted.client, () => sent.length === 1, "sent after the restart");
    expect(uploads.requests).toEqual([]);
    expect(sent[0]?.body).toEqual({
      kind: "image",
      mediaId: storedEntry.upload?.media?.id,
      // Taken sideways: stored upright.
      width: 48,
      height: 64,
    });
    await until(bob.client, () => bob.received.length === 1, "bob receives it");
    const history = await restarted.client.api.history(group.id, { afterSeq: 0 });
    expect(history.messages.map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(restarted.client.outbox()).toEqual([]);
  });

  it("refused uploads (too big, a disguised type) end failed after one attempt; nothing is sent and the server goes on", {
    timeout: 90_000,
  }, async () => {
    const server = await real.start();
    const { alice, bob, group, uploads } = await aliceAndBob();
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const refused = [
      { kind: "file" as const, bytes: randomBytes(20 * MiB + 1), code: "too_large" },
      { kind: "voice" as const, bytes: png, code: "bad_request" },
      { kind: "image" as const, bytes: Buffer.from("not a picture at all"), code: "bad_request" },
      { kind: "voice" as const, bytes: (await fixture("voice-2s.aac")).subarray(0, 200), code: "bad_request" },
    ];
    const failures: string[] = [];
    alice.client.on("sendFailed", (event) => failures.push(event.error.code));
    for (const { kind, bytes, code } of refused) {
      const before = uploads.requests.length;
      const handle = alice.client.sendMedia(group.id, { kind, file: { data: blob(bytes), name: "x" } });
      await expect(handle.done).rejects.toMatchObject({ code, clientMsgId: handle.clientMsgId });
      expect(uploads.requests.length - before).toBe(1);
      expect(alice.client.outbox().find((e) => e.clientMsgId === handle.clientMsgId)).toMatchObject({
        status: "failed",
        error: { code },
      });
    }
    expect(failures).toEqual(refused.map((r) => r.code));
    expect(await storedFiles(server)).toEqual([]);
    // Alice and the server go on: a good one is delivered.
    const good = await alice.client.sendMedia(group.id, { kind: "file", file: { data: blob("ok"), name: "ok.txt" } })
      .done;
    await until(bob.client, () => bob.received.length === 1, "bob receives the good one");
    expect(bob.received.map((m) => m.clientMsgId)).toEqual([good.clientMsgId]);
    expect((await alice.client.api.history(group.id, { afterSeq: 0 })).messages).toHaveLength(1);
  });
});
