import type { AckFrame, BatchFrame, ErrorFrame, Message, MessageFrame, ServerFrame } from "@mpchat/protocol";
import { expect } from "vitest";
import type { Store } from "../../src/store/store";
import { TestClient } from "../support/client";

/** Per-test budget: real sockets and databases on a loaded 2-core machine. */
export const TEST_TIMEOUT = 60_000;
/** How long to wait for one expected frame. */
export const WAIT_MS = 30_000;

let counter = 0;
/** A user id unique within the run, so that tests sharing a server never see each other's users. */
export function uid(name: string): string {
  counter += 1;
  return `${name}_${counter}_${Math.random().toString(36).slice(2, 7)}`;
}

/** Narrows an answer to an `ack`, failing with the answer otherwise. */
export function expectAck(answer: ServerFrame): AckFrame {
  if (answer.type !== "ack") throw new Error(`expected an ack, got ${JSON.stringify(answer)}`);
  return answer;
}

/** Narrows an answer to an `error` with this code. */
export function expectError(answer: ServerFrame, code: ErrorFrame["code"]): ErrorFrame {
  expect(answer).toMatchObject({ type: "error", code });
  return answer as ErrorFrame;
}

/** Logs in and connects several users at once. */
export function connectAll(
  server: { httpUrl: string; wsUrl: string },
  userIds: readonly string[],
): Promise<TestClient[]> {
  // Each connection's addresses are read once, in order: on a ServerGroup consecutive connections
  // land on consecutive instances, whatever order their logins finish in.
  const targets = userIds.map(() => ({ httpUrl: server.httpUrl, wsUrl: server.wsUrl }));
  return Promise.all(userIds.map((userId, i) => TestClient.connect(targets[i] ?? server, userId)));
}

export async function closeAll(clients: ReadonlyArray<TestClient | undefined>): Promise<void> {
  await Promise.all(clients.map((client) => client?.close()));
}

export const isMessageIn =
  (conversationId: string) =>
  (frame: ServerFrame): frame is MessageFrame =>
    frame.type === "message" && frame.conversationId === conversationId;

/** Resolves once `client` has received `count` `message` frames of the conversation (counting those already in). */
export function waitForMessageCount(
  client: TestClient,
  conversationId: string,
  count: number,
  timeoutMs = WAIT_MS,
): Promise<unknown> {
  let seen = 0;
  const isMessage = isMessageIn(conversationId);
  // waitFor hands each frame to the predicate once, in order: a running count is exact.
  return client
    .waitFor((frame) => isMessage(frame) && ++seen >= count, timeoutMs)
    .catch((error: unknown) => {
      const seqs = new Set(client.messagesIn(conversationId).map((f) => f.message.seq));
      const missing = range(1, count).filter((seq) => !seqs.has(seq));
      throw new Error(
        `${client.userId} got ${seen} of ${count} message frames; missing seqs ${JSON.stringify(missing.slice(0, 20))}` +
          ` (${error instanceof Error ? error.message.slice(0, 80) : String(error)})`,
      );
    });
}

/** Resolves once `client` has received the pushed message with this id. */
export function waitForMessage(client: TestClient, messageId: string, timeoutMs = WAIT_MS): Promise<unknown> {
  return client.waitFor((frame) => frame.type === "message" && frame.message.id === messageId, timeoutMs);
}

/**
 * Sends a fresh message and waits until every receiver has it: after that,
 * every frame the server produced for these receivers before the sentinel has
 * also arrived (one ordered socket each), so "nothing else arrived" is checkable.
 */
export async function sentinel(
  sender: TestClient,
  conversationId: string,
  receivers: readonly TestClient[],
): Promise<AckFrame> {
  const ack = expectAck(await sender.sendText(conversationId, `sentinel ${uid("s")}`));
  await Promise.all(receivers.map((receiver) => waitForMessage(receiver, ack.messageId)));
  return ack;
}

/** Every stored message of a conversation, ascending, paging through the store. */
export async function storedMessages(store: Store, conversationId: string): Promise<Message[]> {
  const out: Message[] = [];
  let afterSeq = 0;
  for (let page = 0; page < 1000; page++) {
    const { messages, hasMore } = await store.listMessages(conversationId, { afterSeq, limit: 200 });
    out.push(...messages);
    const last = messages.at(-1);
    if (!hasMore || !last) return out;
    afterSeq = last.seq;
  }
  throw new Error("more than 1000 pages");
}

/** `sync` pages of `limit` from `afterSeq` until `hasMore` is false. */
export async function syncPages(
  client: TestClient,
  conversationId: string,
  afterSeq: number,
  limit: number,
): Promise<BatchFrame[]> {
  const pages: BatchFrame[] = [];
  let cursor = afterSeq;
  for (let i = 0; i < 1000; i++) {
    const answer = await client.request({ type: "sync", conversationId, afterSeq: cursor, limit });
    if (answer.type !== "batch") throw new Error(`expected a batch, got ${JSON.stringify(answer)}`);
    pages.push(answer);
    const last = answer.messages.at(-1);
    if (!answer.hasMore) return pages;
    if (!last) throw new Error("hasMore with an empty page");
    cursor = last.seq;
  }
  throw new Error("more than 1000 sync pages");
}

/** 1..n */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A raw `send` frame (for frames the typed client would not build). */
export function sendFrame(conversationId: string, text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "send",
    id: uid("req"),
    conversationId,
    clientMsgId: uid("cm"),
    body: { kind: "text", text },
    ...extra,
  });
}
