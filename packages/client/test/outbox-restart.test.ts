import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { KeyValueStorage } from "../src/ports/storage";
import { fakeClient } from "./support/fake-client";
import { FakeServer } from "./support/fake-server";
import { seededRandom } from "./support/seeded-random";

/** A storage like wx.getStorage/setStorage or React Native's: a Map behind promises that settle on a later timer turn. */
function asyncStorage() {
  const data = new Map<string, string>();
  const later = <T>(work: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(work()), 0));
  const storage: KeyValueStorage = {
    get: (key) => later(() => data.get(key) ?? null),
    set: (key, value) => later(() => void data.set(key, value)),
    remove: (key) => later(() => void data.delete(key)),
  };
  return { storage, data };
}

/**
 * Let the storage's timers run. Fake timers put a 0 ms timer set inside a timer
 * 1 ms later, so chained writes need the clock to move (a few ms; backoff is ≥ 100 ms).
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 40; i++) await vi.advanceTimersByTimeAsync(1);
}

const KEY = "mpchat:outbox";
const storedIds = (data: Map<string, string>): string[] =>
  JSON.parse(data.get(KEY) ?? "[]").map((entry: { clientMsgId: string }) => entry.clientMsgId);

describe("outbox restart on an asynchronous storage", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("a send in the constructor's turn does not overwrite the unacked entries left by the previous run", async () => {
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const { storage, data } = asyncStorage();

    // First run: one send reaches the server but its ack is lost; two never reach it.
    let reached = 0;
    server.frameFilter = (socket, frame) => {
      if (frame.type !== "send") return "default";
      reached += 1;
      if (reached === 1)
        server.store(
          frame.conversationId,
          socket.userId ?? "",
          frame.body.kind === "text" ? frame.body.text : "",
          frame.clientMsgId,
        );
      return "drop";
    };
    const first = fakeClient(server, "alice", { storage, random: seededRandom(1) });
    first.client.connect();
    await settle();
    const old = ["ack lost", "never sent 1", "never sent 2"].map(
      (text) => first.client.send(group.id, text).clientMsgId,
    );
    await settle();
    expect(storedIds(data)).toEqual(old);
    expect(server.messages(group.id).map((m) => m.clientMsgId)).toEqual([old[0]]);
    first.client.close();
    await settle();

    // Second run on the same storage: the app sends at once, in the same turn as the constructor.
    server.frameFilter = () => "default";
    const second = fakeClient(server, "alice", { storage, random: seededRandom(2) });
    const handle = second.client.send(group.id, "new");
    const done = vi.fn();
    handle.done.then(done);
    second.client.connect();
    await settle();

    const all = [...old, handle.clientMsgId];
    expect(server.messages(group.id).map((m) => m.clientMsgId)).toEqual(all);
    // Each was sent (and so acked) exactly once on the new socket.
    const sent = server.socket.sentOfType("send").map((f) => f.clientMsgId);
    expect(sent.slice().sort()).toEqual(all.slice().sort());
    expect(done).toHaveBeenCalledTimes(1);
    expect(second.client.outbox()).toEqual([]);
    expect(data.has(KEY)).toBe(false);
  });

  it("shows the restored entries before the new one, and writes nothing before it has read", async () => {
    const { storage, data } = asyncStorage();
    const server = new FakeServer();
    const group = server.createGroup(["alice", "bob"]);
    const first = fakeClient(server, "alice", { storage, random: seededRandom(3) });
    const old = first.client.send(group.id, "old").clientMsgId;
    await settle();
    expect(storedIds(data)).toEqual([old]);

    const writes: string[] = [];
    const watched: KeyValueStorage = {
      get: (key) => storage.get(key),
      set: (key, value) => {
        writes.push(value);
        return storage.set(key, value);
      },
      remove: (key) => storage.remove(key),
    };
    const second = fakeClient(server, "alice", { storage: watched, random: seededRandom(4) });
    const fresh = second.client.send(group.id, "fresh").clientMsgId;
    await settle();
    expect(second.client.outbox().map((e) => e.clientMsgId)).toEqual([old, fresh]);
    expect(storedIds(data)).toEqual([old, fresh]);
    // Every snapshot written holds the entry it found.
    for (const snapshot of writes) expect(JSON.parse(snapshot)[0].clientMsgId).toBe(old);
  });
});
