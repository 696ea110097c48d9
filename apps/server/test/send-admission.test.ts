import type { AckFrame, ErrorFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";
import { laneOf } from "../src/store/group-commit";
import type { AppendInput, AppendResult, Store } from "../src/store/store";
import { rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/** Two lanes, so that a held append of one conversation does not hold another lane's. */
const LANES = 2;
const CONVERSATION_LIMIT = 3;

describe.each(["sqlite", "mysql"] as const)("admission control of sends (%s)", (kind) => {
  let healthy: TestServer;
  let server: TestServer;
  /** Appends into this conversation wait for `release` before they reach the store. */
  let slowConversation: string | undefined;
  let release: () => void = () => {};
  let held = Promise.resolve();

  beforeAll(async () => {
    healthy = await startTestServer({ store: kind });
    const slowOnDemand = new Proxy(healthy.store, {
      get(target, property, receiver) {
        if (property === "parallelAppends") return LANES;
        const value = Reflect.get(target, property, receiver);
        if (property !== "appendMessages" || typeof value !== "function") return value;
        return async (batch: readonly AppendInput[]): Promise<AppendResult[]> => {
          if (batch.some((input) => input.conversationId === slowConversation)) await held;
          return value.call(target, batch);
        };
      },
    }) as Store;
    const chatLimits = {
      ...loadConfig({}).chatLimits,
      sendQueue: { limit: 50, conversationLimit: CONVERSATION_LIMIT, maxWaitMs: 600_000 },
    };
    server = await startTestServer({ deps: { store: slowOnDemand }, config: { chatLimits } });
  });
  afterAll(async () => {
    release();
    await server?.close();
    await healthy?.close();
  });

  function slowDown(conversationId: string): void {
    slowConversation = conversationId;
    held = new Promise<void>((resolve) => {
      release = () => {
        slowConversation = undefined;
        resolve();
      };
    });
  }

  it("refuses sends beyond the bound at once with unavailable + retryAfterMs, stores none of them, and admits again", async () => {
    const alice = await TestClient.connect(server, "adm-alice");
    const bob = await TestClient.connect(server, "adm-bob");
    const carol = await TestClient.connect(server, "adm-carol");
    const dave = await TestClient.connect(server, "adm-dave");
    const hot = await alice.api(server).createGroup("hot", ["adm-bob"]);
    // The bystander's conversation is in the other lane: the slow lane holds nothing of it.
    let quiet = await carol.api(server).createGroup("quiet", ["adm-dave"]);
    while (laneOf(quiet.id, LANES) === laneOf(hot.id, LANES)) {
      quiet = await carol.api(server).createGroup("quiet", ["adm-dave"]);
    }
    const first = await alice.sendText(hot.id, "before the overload", "adm-first");
    expect(first).toMatchObject({ type: "ack", seq: 1 });

    slowDown(hot.id);
    const ids = Array.from({ length: 8 }, (_, i) => `adm-${i}`);
    const answers = ids.map((id) => alice.sendText(hot.id, `text ${id}`, id));
    const isRefusal = (frame: { type: string; code?: string }) =>
      frame.type === "error" && frame.code === "unavailable";
    const refusedCount = () => alice.frames.filter(isRefusal).length;
    await alice.waitFor(() => refusedCount() >= ids.length - CONVERSATION_LIMIT);
    // The retry of a message already stored is a send like any other: refused too while the queue is full.
    expect(await alice.sendText(hot.id, "before the overload", "adm-first")).toMatchObject({
      type: "error",
      code: "unavailable",
    });

    // A bystander in another conversation keeps chatting meanwhile.
    const bystander = await carol.sendText(quiet.id, "still here", "adm-bystander");
    expect(bystander).toMatchObject({ type: "ack", seq: 1 });
    await dave.waitFor((f) => f.type === "message" && f.conversationId === quiet.id);

    release();
    const settled = await Promise.all(answers);
    const acked = settled.filter((a): a is AckFrame => a.type === "ack");
    const refused = settled.filter((a): a is ErrorFrame => a.type === "error");
    // Arrival order: the first sends took the room, the later ones were refused.
    expect(acked.map((a) => a.clientMsgId)).toEqual(ids.slice(0, CONVERSATION_LIMIT));
    expect(acked.map((a) => a.seq)).toEqual([2, 3, 4]);
    expect(refused).toHaveLength(ids.length - CONVERSATION_LIMIT);
    for (const [index, refusal] of refused.entries()) {
      expect(refusal).toMatchObject({ code: "unavailable", id: expect.any(String), message: expect.any(String) });
      expect(Number.isInteger(refusal.retryAfterMs) && (refusal.retryAfterMs ?? 0) >= 100).toBe(true);
      expect(settled.indexOf(refusal)).toBe(CONVERSATION_LIMIT + index);
    }

    // What the store holds: the accepted ones once each, dense seqs; none of the refused.
    const stored = await server.store.listMessages(hot.id, { afterSeq: 0, limit: 100 });
    expect(stored.messages.map((m) => [m.seq, m.clientMsgId])).toEqual([
      [1, "adm-first"],
      [2, "adm-0"],
      [3, "adm-1"],
      [4, "adm-2"],
    ]);

    // The slowness is over: sends are admitted again; a refused one's retry is stored now.
    const retried = await alice.sendText(hot.id, "text adm-3", "adm-3");
    expect(retried).toMatchObject({ type: "ack", seq: 5 });
    // The retry of a stored clientMsgId gets its original ack.
    const again = await alice.sendText(hot.id, "before the overload", "adm-first");
    expect(again).toMatchObject({ type: "ack", seq: 1, messageId: (first as AckFrame).messageId });
    const after = await server.store.listMessages(hot.id, { afterSeq: 0, limit: 100 });
    expect(after.messages.map((m) => m.clientMsgId)).toEqual(["adm-first", "adm-0", "adm-1", "adm-2", "adm-3"]);

    const metrics = await rawRequest(server, "GET", "/metrics");
    expect(String(metrics.body)).toContain(
      `mpchat_sends_refused_total{reason="conversation_full"} ${ids.length - CONVERSATION_LIMIT + 1}`,
    );
    await Promise.all([alice.close(), bob.close(), carol.close(), dave.close()]);
  });
});
