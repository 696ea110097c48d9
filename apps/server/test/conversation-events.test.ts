import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Conversation } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/open-store";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

/**
 * The `conversation` event each member gets when a group is created or grows
 * must be exactly that member's view as the store answers it afterwards
 * (GET /v1/conversations): the events are built without a query per member.
 */
describe("conversation events carry each member's own view", () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  const connect = async (userId: string) => {
    const client = await TestClient.connect(server, userId);
    clients.push(client);
    return client;
  };
  const eventFor = async (client: TestClient, conversationId: string, fromIndex: number): Promise<Conversation> => {
    const frame = await client.waitFor(
      (f) => f.type === "conversation" && f.conversation.id === conversationId,
      undefined,
      {
        fromIndex,
      },
    );
    if (frame.type !== "conversation") throw new Error("unexpected frame");
    return frame.conversation;
  };
  const storedView = async (client: TestClient, conversationId: string) =>
    (await client.api(server).conversations()).find((c) => c.id === conversationId);

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await server?.close();
  });

  it("on creation: every member's event equals their stored view", async () => {
    const [ann, ben, cat] = await Promise.all(["ann", "ben", "cat"].map(connect));
    if (!ann || !ben || !cat) throw new Error("setup");
    const created = await ann.api(server).createGroup("fresh", ["ben", "cat"]);
    for (const client of [ann, ben, cat]) {
      const event = await eventFor(client, created.id, 0);
      expect(event).toEqual(await storedView(client, created.id));
    }
    expect(created).toEqual(await storedView(ann, created.id));
  });

  it("when members join a conversation with history: old and new members' events equal their stored views", async () => {
    const [dan, eli, fay] = await Promise.all(["dan", "eli", "fay"].map(connect));
    if (!dan || !eli || !fay) throw new Error("setup");
    const group = await dan.api(server).createGroup("history", ["eli"]);
    for (let i = 0; i < 3; i++) expect((await dan.sendText(group.id, `from dan ${i}`)).type).toBe("ack");
    expect((await eli.request({ type: "read", id: "r1", conversationId: group.id, seq: 2 })).type).toBe("ok");
    const marks = [dan, eli, fay].map((client) => client.frames.length);
    await dan.api(server).addMembers(group.id, ["fay"]);
    for (const [i, client] of [dan, eli, fay].entries()) {
      const event = await eventFor(client, group.id, marks[i] ?? 0);
      expect(event).toEqual(await storedView(client, group.id));
    }
    // Non-trivial views: unread differs per member (the addition is a system message at seq 4).
    const eliView = await storedView(eli, group.id);
    const fayView = await storedView(fay, group.id);
    expect(fayView?.lastSeq).toBe(4);
    expect(eliView?.unread).toBeLessThan(fayView?.unread ?? 0);
  });
});

describe("conversation events cost a bounded number of store reads, whatever the member count", () => {
  it("adds 200 members to a 300-member group with history with one members read, not one per member", async () => {
    const calls = new Map<string, number>();
    const dataDir = await mkdtemp(join(tmpdir(), "mpchat-events-"));
    const inner = await openStore({ dataDir });
    // Counts the store's per-conversation reads; everything else passes through.
    const counting = new Proxy(inner, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          calls.set(String(key), (calls.get(String(key)) ?? 0) + 1);
          return value.apply(target, args);
        };
      },
    });
    const server = await startTestServer({ deps: { store: counting } });
    const owner = await TestClient.connect(server, "owner");
    try {
      const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      for (const id of [...ids(299, "m"), ...ids(200, "n")]) await inner.upsertUser({ id, name: id });
      const group = await owner.api(server).createGroup("big", ids(299, "m"));
      expect((await owner.sendText(group.id, "history")).type).toBe("ack");
      calls.clear();
      const after = await owner.api(server).addMembers(group.id, ids(200, "n"));
      // The addition is the owner's system message at seq 2: their own cursor moves to it.
      expect(after).toMatchObject({ lastSeq: 2, readSeq: 2, unread: 0 });
      expect(after.memberIds).toHaveLength(500);
      expect(calls.get("getConversationMembers")).toBe(1);
      expect(calls.get("getConversationView") ?? 0).toBe(0);
      const event = await owner.waitFor((f) => f.type === "conversation" && f.conversation.memberIds.length === 500);
      expect(event.type === "conversation" && event.conversation).toEqual(after);
    } finally {
      await owner.close();
      await server.close();
      await inner.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
