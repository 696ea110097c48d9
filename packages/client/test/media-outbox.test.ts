import type { Message } from "@mpchat/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryStorage } from "../src/adapters/storages";
import type { ChatEvents } from "../src/events";
import type { OutboxEntry } from "../src/outbox-entry";
import type { KeyValueStorage } from "../src/ports/storage";
import { fakeClient } from "./support/fake-client";
import { FakeServer } from "./support/fake-server";
import { FakeUploads } from "./support/fake-uploads";
import { flush } from "./support/flush";

const KEY = "mpchat:outbox";

/** A client of alice with an upload port, its outbox in `storage`, every outbox and progress event recorded. */
function mediaClient(server: FakeServer, uploads: FakeUploads, storage: KeyValueStorage = memoryStorage()) {
  const made = fakeClient(server, "alice", { storage, upload: uploads });
  const seen = {
    outbox: [] as ChatEvents["outbox"][],
    progress: [] as ChatEvents["upload_progress"][],
    sent: [] as ChatEvents["sent"][],
  };
  made.client.on("outbox", (entries) => seen.outbox.push(entries));
  made.client.on("upload_progress", (event) => seen.progress.push(event));
  made.client.on("sent", (event) => seen.sent.push(event));
  return { ...made, seen };
}

/** How a `done` settled so far. */
function watch(done: Promise<Message>) {
  const state: { value?: Message; error?: { code?: string }; settled: number } = { settled: 0 };
  done.then(
    (value) => {
      state.value = value;
      state.settled += 1;
    },
    (error: { code?: string }) => {
      state.error = error;
      state.settled += 1;
    },
  );
  return state;
}

const sendFrames = (server: FakeServer) => server.sockets.flatMap((s) => s.sentOfType("send"));
const stored = (storage: KeyValueStorage): OutboxEntry[] => JSON.parse((storage.get(KEY) as string | null) ?? "[]");
const photo = { filePath: "wxfile://tmp/photo.jpg" };

describe("the outbox's media messages: upload, then send", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("is in storage with its upload before anything goes out; uploads, records the media, then sends the body built from it", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const uploads = new FakeUploads();
    uploads.steps = ["hang"];
    const storage = memoryStorage();
    const { client, seen } = mediaClient(server, uploads, storage);
    const handle = client.sendMedia(group.id, { kind: "image", file: photo, replyTo: { seq: 3 } });
    const done = watch(handle.done);
    // Written before the network is tried (the client is not even connected).
    const [first] = stored(storage);
    expect(first).toMatchObject({
      clientMsgId: handle.clientMsgId,
      status: "pending",
      body: { kind: "image", mediaId: "", replyTo: { seq: 3 } },
      upload: { kind: "image", file: photo, state: "waiting" },
    });
    const clientMediaId = first?.upload?.clientMediaId ?? "";
    expect(clientMediaId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(first?.upload?.media).toBeUndefined();
    expect(uploads.requests).toEqual([]);

    client.connect();
    await flush();
    expect(uploads.clientMediaIds).toEqual([clientMediaId]);
    expect(uploads.requests[0]?.fields).toEqual({ kind: "image", clientMediaId });
    expect(client.outbox()[0]?.upload?.state).toBe("uploading");
    // Nothing is sent before the media is recorded.
    expect(sendFrames(server)).toEqual([]);

    uploads.held.shift()?.();
    await flush();
    expect(seen.progress).toEqual([
      { clientMsgId: handle.clientMsgId, conversationId: group.id, sent: 50, total: 100 },
      { clientMsgId: handle.clientMsgId, conversationId: group.id, sent: 100, total: 100 },
    ]);
    // The entry went through `uploaded` (media written to storage) before its send.
    const uploaded = seen.outbox.flat().find((e) => e.upload?.state === "uploaded");
    expect(uploaded?.upload?.media).toMatchObject({ id: `m-${clientMediaId}`, width: 640, height: 480 });
    const body = { kind: "image", mediaId: `m-${clientMediaId}`, width: 640, height: 480, replyTo: { seq: 3 } };
    expect(sendFrames(server).map((f) => [f.clientMsgId, f.body])).toEqual([[handle.clientMsgId, body]]);
    expect(done.value).toMatchObject({ clientMsgId: handle.clientMsgId, seq: 1, body });
    expect(seen.sent.map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(client.outbox()).toEqual([]);
    expect(storage.get(KEY)).toBeUndefined();
    expect(server.messages(group.id).map((m) => m.body)).toEqual([body]);
  });

  it("builds each kind's body from the returned media: image width/height, voice durationMs, file name/size", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const uploads = new FakeUploads();
    const { client } = mediaClient(server, uploads);
    client.connect();
    await flush();
    const question = watch(client.send(group.id, "😀".repeat(61)).done);
    await flush();
    const image = watch(client.sendMedia(group.id, { kind: "image", file: photo }).done);
    const voice = watch(
      client.sendMedia(group.id, { kind: "voice", file: { filePath: "a.aac" }, durationMs: 2499.6 }).done,
    );
    const file = watch(
      client.sendMedia(group.id, { kind: "file", file: { data: new Blob(["%PDF"]), name: "plan.pdf" } }).done,
    );
    const text = watch(client.send(group.id, "and a reply", { replyTo: { seq: question.value?.seq ?? 0 } }).done);
    await flush();
    expect(uploads.requests.map((r) => r.fields.durationMs)).toEqual([undefined, "2500", undefined]);
    expect(image.value?.body).toEqual({ kind: "image", mediaId: expect.any(String), width: 640, height: 480 });
    expect(voice.value?.body).toEqual({ kind: "voice", mediaId: expect.any(String), durationMs: 2500 });
    expect(file.value?.body).toEqual({ kind: "file", mediaId: expect.any(String), name: "plan.pdf", size: 1234 });
    // The sender's copy of a reply is completed as the server completes it: sender, kind, 60 code points.
    const replyTo = { seq: 1, senderId: "alice", kind: "text", preview: "😀".repeat(60) };
    expect(text.value?.body).toEqual({ kind: "text", text: "and a reply", replyTo });
    const replySent = sendFrames(server).find((f) => f.body.kind === "text" && f.body.text === "and a reply");
    expect(replySent?.body).toEqual({ kind: "text", text: "and a reply", replyTo: { seq: 1 } });
    const mediaIds = [image, voice, file].map((d) => (d.value?.body as { mediaId?: string } | undefined)?.mediaId);
    expect(new Set(mediaIds).size).toBe(3);
  });

  it("network trouble: the upload is retried with the same clientMediaId (across a reconnect too); one media, one send", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const uploads = new FakeUploads();
    // The network stays down past the MediaUploader's own 5 attempts: then the outbox waits and tries again.
    uploads.steps = Array.from({ length: 1000 }, () => "network" as const);
    const { client } = mediaClient(server, uploads);
    client.connect();
    await flush();
    const handle = client.sendMedia(group.id, { kind: "file", file: { filePath: "doc.pdf" } });
    const done = watch(handle.done);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(uploads.requests.length).toBeGreaterThan(5);
    expect(done.settled).toBe(0);
    expect(client.outbox()).toMatchObject([{ status: "pending", error: { code: "network" } }]);
    expect(sendFrames(server)).toEqual([]);
    // The socket drops too; the network comes back; the next connection picks the upload up again.
    uploads.steps = [];
    server.socket.serverClose(1006, "cut");
    await vi.advanceTimersByTimeAsync(2_000);
    await flush();
    expect(done.value?.clientMsgId).toBe(handle.clientMsgId);
    expect(new Set(uploads.clientMediaIds).size).toBe(1);
    expect(uploads.stored.size).toBe(1);
    expect(server.messages(group.id)).toHaveLength(1);
  });

  it("an upload refused (too_large, bad_request, forbidden) fails the entry after one attempt; retry() uploads again, same clientMediaId", async () => {
    for (const [status, code] of [
      [413, "too_large"],
      [400, "bad_request"],
      [403, "forbidden"],
    ] as const) {
      const server = new FakeServer();
      const group = server.createGroup(["alice", "bob"]);
      const uploads = new FakeUploads();
      uploads.steps = [{ status, code }];
      const { client, events } = mediaClient(server, uploads);
      client.connect();
      await flush();
      const handle = client.sendMedia(group.id, { kind: "image", file: photo });
      const first = watch(handle.done);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(first.error).toMatchObject({ code, clientMsgId: handle.clientMsgId });
      expect(uploads.requests).toHaveLength(1);
      expect(client.outbox()).toMatchObject([{ status: "failed", error: { code }, upload: { state: "waiting" } }]);
      expect(events.sendFailed.map((e) => e.error.code)).toEqual([code]);
      expect(sendFrames(server)).toEqual([]);

      const again = client.retry(handle.clientMsgId);
      const second = watch(again?.done ?? Promise.reject(new Error("no handle")));
      await flush();
      expect(second.value?.clientMsgId).toBe(handle.clientMsgId);
      expect(uploads.requests).toHaveLength(2);
      expect(new Set(uploads.clientMediaIds).size).toBe(1);
      expect(server.messages(group.id)).toHaveLength(1);
    }
  });

  it("a refused token for the upload is not the file's fault: the entry stays pending and is uploaded later", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const uploads = new FakeUploads();
    uploads.steps = [{ status: 401, code: "unauthorized" }];
    const { client } = mediaClient(server, uploads);
    client.connect();
    await flush();
    const done = watch(client.sendMedia(group.id, { kind: "image", file: photo }).done);
    await flush();
    expect(client.outbox()).toMatchObject([{ status: "pending", error: { code: "unauthorized" } }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done.value?.body.kind).toBe("image");
    expect(uploads.requests).toHaveLength(2);
  });

  it("a send refused after the upload fails the entry; retry() sends again without uploading again", async () => {
    const server = new FakeServer();
    const theirs = server.createGroup(["bob"]);
    const uploads = new FakeUploads();
    const { client } = mediaClient(server, uploads);
    client.connect();
    await flush();
    const handle = client.sendMedia(theirs.id, { kind: "voice", file: { filePath: "v.aac" }, durationMs: 1200 });
    const first = watch(handle.done);
    await flush();
    expect(first.error).toMatchObject({ code: "forbidden" });
    expect(client.outbox()).toMatchObject([{ status: "failed", upload: { state: "uploaded" } }]);
    server.conversations.get(theirs.id)?.memberIds.push("alice");
    const second = watch(client.retry(handle.clientMsgId)?.done ?? Promise.reject(new Error("no handle")));
    await flush();
    expect(second.value?.body).toMatchObject({ kind: "voice", durationMs: 1200 });
    expect(uploads.requests).toHaveLength(1);
    expect(sendFrames(server).map((f) => f.clientMsgId)).toEqual([handle.clientMsgId, handle.clientMsgId]);
  });

  it("restart before the upload finished: the new client uploads with the same clientMediaId, then sends once", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const storage = memoryStorage();
    const uploads = new FakeUploads();
    uploads.steps = ["hang"];
    const first = mediaClient(server, uploads, storage);
    first.client.connect();
    await flush();
    const handle = first.client.sendMedia(group.id, { kind: "image", file: photo });
    await flush();
    // The app is killed while the bytes are on their way (the server stores them; the answer is lost).
    first.client.close();
    const clientMediaId = stored(storage)[0]?.upload?.clientMediaId;
    expect(stored(storage)[0]?.upload?.state).toBe("uploading");

    const second = mediaClient(server, uploads, storage);
    expect(second.client.outbox()).toMatchObject([{ clientMsgId: handle.clientMsgId, upload: { state: "waiting" } }]);
    second.client.connect();
    await flush();
    expect(uploads.clientMediaIds).toEqual([clientMediaId, clientMediaId]);
    uploads.held.shift()?.();
    await flush();
    expect(second.seen.sent.map((e) => e.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(server.messages(group.id).map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(uploads.stored.size).toBe(1);
  });

  it("restart after the upload, before the ack: the new client sends the recorded media without uploading again", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const storage = memoryStorage();
    const uploads = new FakeUploads();
    const first = mediaClient(server, uploads, storage);
    server.frameFilter = (_socket, frame) => (frame.type === "send" ? "drop" : "default");
    first.client.connect();
    await flush();
    const handle = first.client.sendMedia(group.id, { kind: "file", file: { filePath: "a.zip", name: "a.zip" } });
    await flush();
    expect(stored(storage)[0]?.upload).toMatchObject({ state: "uploaded", media: { kind: "file" } });
    first.client.close();

    server.frameFilter = () => "default";
    const second = mediaClient(server, uploads, storage);
    second.client.connect();
    await flush();
    expect(uploads.requests).toHaveLength(1);
    expect(second.seen.sent.map((e) => e.message.body)).toEqual([
      { kind: "file", mediaId: expect.any(String), name: "a.zip", size: 1234 },
    ]);
    expect(server.messages(group.id).map((m) => m.clientMsgId)).toEqual([handle.clientMsgId]);
  });

  it("a Blob is not written to storage: after a restart its upload fails (bad_request) and cannot be retried", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const storage = memoryStorage();
    const uploads = new FakeUploads();
    const first = mediaClient(server, uploads, storage);
    const handle = first.client.sendMedia(group.id, { kind: "file", file: { data: new Blob(["x"]), name: "x.txt" } });
    expect(stored(storage)[0]?.upload?.file).toEqual({ name: "x.txt" });

    const second = mediaClient(server, uploads, storage);
    second.client.connect();
    await flush();
    expect(second.client.outbox()).toMatchObject([{ status: "failed", error: { code: "bad_request" } }]);
    expect(second.events.sendFailed.map((e) => e.entry.clientMsgId)).toEqual([handle.clientMsgId]);
    expect(second.client.retry(handle.clientMsgId)).toBeUndefined();
    expect(uploads.requests).toEqual([]);
  });

  it("discard() during the upload: its answer is ignored and nothing is sent", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const uploads = new FakeUploads();
    uploads.steps = ["hang"];
    const { client, seen } = mediaClient(server, uploads);
    client.connect();
    await flush();
    const handle = client.sendMedia(group.id, { kind: "image", file: photo });
    const done = watch(handle.done);
    await flush();
    expect(client.discard(handle.clientMsgId)).toBe(true);
    uploads.held.shift()?.();
    await flush();
    expect(done.error).toMatchObject({ code: "closed" });
    expect(seen.progress).toEqual([]);
    expect(sendFrames(server)).toEqual([]);
    expect(client.outbox()).toEqual([]);
  });

  it("refuses bad input at once, before any upload: no file, an empty path, a bad durationMs, an unknown kind", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const uploads = new FakeUploads();
    const { client } = mediaClient(server, uploads);
    client.connect();
    await flush();
    const bad = [
      { kind: "image" as const, file: { filePath: "" } },
      { kind: "file" as const, file: { data: null } },
      { kind: "file" as const, file: undefined as never },
      { kind: "voice" as const, file: { filePath: "v.aac" }, durationMs: -1 },
      { kind: "voice" as const, file: { filePath: "v.aac" }, durationMs: Number.NaN },
      { kind: "sticker" as never, file: { filePath: "s.gif" } },
    ];
    const dones = bad.map((input) => watch(client.sendMedia(group.id, input).done));
    await flush();
    expect(dones.map((d) => d.error?.code)).toEqual(bad.map(() => "bad_request"));
    expect(client.outbox().map((e) => e.status)).toEqual(bad.map(() => "failed"));
    // Nor can they be retried: they would be refused again.
    for (const entry of client.outbox()) expect(client.retry(entry.clientMsgId)).toBeUndefined();
    expect(uploads.requests).toEqual([]);
    // The client keeps working for what is well formed.
    const good = watch(client.sendMedia(group.id, { kind: "image", file: photo }).done);
    await flush();
    expect(good.value?.body.kind).toBe("image");
  });

  it("sendMedia without an upload port throws; stored media entries then wait", () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { client } = fakeClient(server, "alice");
    expect(() => client.sendMedia(group.id, { kind: "image", file: photo })).toThrow(/upload/);
    expect(client.outbox()).toEqual([]);
  });

  it("drops stored media entries it cannot read, keeps the well-formed ones", () => {
    const storage = memoryStorage();
    const upload = { kind: "image", file: photo, clientMediaId: "c1", state: "waiting", sent: 0, total: 0 };
    const base = { conversationId: "g", createdAt: 1, status: "pending", attempts: 0 };
    const body = { kind: "image", mediaId: "", width: 0, height: 0 };
    storage.set(
      KEY,
      JSON.stringify([
        { ...base, clientMsgId: "ok", body, upload },
        { ...base, clientMsgId: "no-upload", body },
        { ...base, clientMsgId: "kind-mismatch", body, upload: { ...upload, kind: "voice" } },
        { ...base, clientMsgId: "no-media-id", body: { kind: "image" }, upload },
        { ...base, clientMsgId: "no-client-media-id", body, upload: { ...upload, clientMediaId: 7 } },
        { ...base, clientMsgId: "bad-media", body, upload: { ...upload, media: "m1" } },
        { ...base, clientMsgId: "text-with-upload", body: { kind: "text", text: "hi" }, upload },
        { ...base, clientMsgId: "unknown-kind", body: { kind: "sticker" }, upload },
      ]),
    );
    const { client } = fakeClient(new FakeServer(), "alice", { storage, upload: new FakeUploads() });
    expect(client.outbox().map((e) => e.clientMsgId)).toEqual(["ok"]);
  });
});
