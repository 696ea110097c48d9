import type { Message } from "@mpchat/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

const MESSAGES = 60;
/** 4000 code points of 3 bytes each: ~12 KB of JSON per message, ~720 KB for an unbounded page of 60. */
const LONG_TEXT = "汉".repeat(4000);
const PAGE_BYTES = 48 * 1024;
/** Room for the frame's envelope around the messages (type, id, conversationId, hasMore). */
const ENVELOPE = 512;

async function setup(maxPageBytes: number) {
  const server = await startTestServer({
    config: {
      chatLimits: { typingWindowMs: 3000, receiptWindowMs: 3000, maxPageBytes },
      // An unbounded page would be past this: the socket that asked would be cut.
      gateway: { maxBufferedBytes: 256 * 1024 },
    },
  });
  const alice = await TestClient.connect(server, "alice");
  const group = await alice.api(server).createGroup("long texts", []);
  const inputs = Array.from({ length: MESSAGES }, (_, i) => ({
    id: `msg${i}`,
    conversationId: group.id,
    senderId: "alice",
    clientMsgId: `c${i}`,
    body: { kind: "text" as const, text: LONG_TEXT },
    createdAt: 1,
  }));
  for (let i = 0; i < MESSAGES; i += 10) await server.store.appendMessages(inputs.slice(i, i + 10));
  return { server, alice, groupId: group.id };
}

describe("page byte bound", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("ends a sync batch early (hasMore) within the bound, and paging still delivers every message in order", async () => {
    const s = await setup(PAGE_BYTES);
    server = s.server;
    const sizes: number[] = [];
    s.alice.socket.on("message", (data: Buffer) => sizes.push(data.length));
    const seqs: number[] = [];
    let afterSeq = 0;
    for (let pages = 0; pages < MESSAGES; pages++) {
      const batch = await s.alice.request({ type: "sync", conversationId: s.groupId, afterSeq, limit: 200 });
      if (batch.type !== "batch") throw new Error(`unexpected ${JSON.stringify(batch)}`);
      expect(batch.messages.length).toBeGreaterThan(0);
      seqs.push(...batch.messages.map((m) => m.seq));
      afterSeq = batch.messages.at(-1)?.seq ?? afterSeq;
      if (!batch.hasMore) break;
    }
    expect(seqs).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PAGE_BYTES + ENVELOPE);
    expect(sizes.length).toBeGreaterThan(2);
  });

  it("bounds HTTP history pages the same way, keeping the end the next page continues from", async () => {
    const s = await setup(PAGE_BYTES);
    server = s.server;
    const history = (query: string) =>
      s.alice.api(s.server).raw("GET", `/v1/conversations/${s.groupId}/messages?${query}`);
    const forward = await history("afterSeq=0&limit=200");
    const forwardPage = forward.body as { messages: Message[]; hasMore: boolean };
    expect(forward.status).toBe(200);
    expect(Number(forward.headers.get("content-length"))).toBeLessThanOrEqual(PAGE_BYTES + ENVELOPE);
    expect(forwardPage.hasMore).toBe(true);
    expect(forwardPage.messages[0]?.seq).toBe(1);

    // The newest page keeps the newest messages; the next one ends right before them.
    const newest = (await history("limit=200")).body as { messages: Message[]; hasMore: boolean };
    expect(newest.hasMore).toBe(true);
    expect(newest.messages.at(-1)?.seq).toBe(MESSAGES);
    const first = newest.messages[0]?.seq ?? 0;
    const older = (await history(`beforeSeq=${first}&limit=200`)).body as { messages: Message[] };
    expect(older.messages.at(-1)?.seq).toBe(first - 1);
  });

  it("always holds at least one message, even when one alone is past the bound", async () => {
    const s = await setup(1024);
    server = s.server;
    const batch = await s.alice.request({ type: "sync", conversationId: s.groupId, afterSeq: 0, limit: 200 });
    expect(batch).toMatchObject({ type: "batch", hasMore: true });
    expect(batch.type === "batch" && batch.messages.map((m) => m.seq)).toEqual([1]);
    const last = await s.alice.request({ type: "sync", conversationId: s.groupId, afterSeq: MESSAGES - 1 });
    expect(last).toMatchObject({ type: "batch", hasMore: false });
    expect(last.type === "batch" && last.messages.map((m) => m.seq)).toEqual([MESSAGES]);
  });
});
