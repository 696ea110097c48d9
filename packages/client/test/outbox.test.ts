import { describe, expect, it } from "vitest";
import { memoryStorage } from "../src/adapters/storages";
import { Outbox } from "../src/outbox";
import type { OutboxEntry } from "../src/outbox-entry";
import type { KeyValueStorage } from "../src/ports/storage";

const entry = (clientMsgId: string): OutboxEntry => ({
  clientMsgId,
  conversationId: "c1",
  body: { kind: "text", text: `text of ${clientMsgId}` },
  createdAt: 1,
  status: "pending",
  attempts: 0,
});

/** An asynchronous storage whose writes complete only when the test says so. */
function slowStorage() {
  const data = new Map<string, string>();
  const waiting: Array<() => void> = [];
  const storage: KeyValueStorage = {
    get: async (key) => data.get(key),
    set: (key, value) =>
      new Promise<void>((resolve) => {
        waiting.push(() => {
          data.set(key, value);
          resolve();
        });
      }),
    remove: (key) =>
      new Promise<void>((resolve) => {
        waiting.push(() => {
          data.delete(key);
          resolve();
        });
      }),
  };
  return { storage, data, waiting };
}

describe("Outbox", () => {
  it("is in a synchronous storage when add returns", () => {
    const storage = memoryStorage();
    const outbox = new Outbox(storage, "k", () => undefined);
    void outbox.add(entry("a"));
    expect(outbox.isWritten("a")).toBe(true);
    expect(JSON.parse(storage.get("k") as string)).toEqual([entry("a")]);
  });

  it("with an asynchronous storage, an entry counts as written only once its write completed", async () => {
    const { storage, data, waiting } = slowStorage();
    const outbox = new Outbox(storage, "k", () => undefined);
    await outbox.whenLoaded();
    const written = outbox.add(entry("a"));
    void outbox.add(entry("b"));
    expect(outbox.isWritten("a")).toBe(false);
    waiting.shift()?.();
    await written;
    expect(outbox.isWritten("a")).toBe(true);
    expect(outbox.isWritten("b")).toBe(false);
    // Writes are chained: the second snapshot lands after the first and holds both.
    for (let i = 0; i < 5 && waiting.length === 0; i++) await Promise.resolve();
    waiting.shift()?.();
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(JSON.parse(data.get("k") as string).map((e: OutboxEntry) => e.clientMsgId)).toEqual(["a", "b"]);
    expect(outbox.isWritten("b")).toBe(true);
  });

  it("a new outbox on the same storage finds the entries (restart)", () => {
    const storage = memoryStorage();
    const first = new Outbox(storage, "k", () => undefined);
    void first.add(entry("a"));
    void first.add(entry("b"));
    first.remove("a");
    const second = new Outbox(storage, "k", () => undefined);
    expect(second.isLoaded).toBe(true);
    expect(second.entries().map((e) => e.clientMsgId)).toEqual(["b"]);
    expect(second.isWritten("b")).toBe(true);
  });

  it("removes the key when the last entry goes", () => {
    const storage = memoryStorage();
    const outbox = new Outbox(storage, "k", () => undefined);
    void outbox.add(entry("a"));
    outbox.remove("a");
    expect(storage.get("k")).toBeUndefined();
  });

  it("ignores unreadable stored data instead of failing", () => {
    const outbox = new Outbox(memoryStorage({ k: "{not json" }), "k", () => undefined);
    expect(outbox.isLoaded).toBe(true);
    expect(outbox.entries()).toEqual([]);
    const partly = new Outbox(
      memoryStorage({ k: JSON.stringify([entry("a"), { clientMsgId: 3 }]) }),
      "k",
      () => undefined,
    );
    expect(partly.entries().map((e) => e.clientMsgId)).toEqual(["a"]);
  });

  it("writes nothing before the stored entries are read, then one snapshot holding old and new", async () => {
    const { storage, data, waiting } = slowStorage();
    data.set("k", JSON.stringify([entry("old")]));
    const outbox = new Outbox(storage, "k", () => undefined);
    expect(outbox.isLoaded).toBe(false);
    const written = outbox.add(entry("a"));
    void outbox.add(entry("b"));
    outbox.update("a", { attempts: 1 });
    expect(waiting).toHaveLength(0);
    await outbox.whenLoaded();
    expect(outbox.entries().map((e) => e.clientMsgId)).toEqual(["old", "a", "b"]);
    expect(outbox.isWritten("old")).toBe(true);
    for (let i = 0; i < 5 && waiting.length === 0; i++) await Promise.resolve();
    expect(waiting).toHaveLength(1);
    waiting.shift()?.();
    await written;
    expect(JSON.parse(data.get("k") as string).map((e: OutboxEntry) => e.clientMsgId)).toEqual(["old", "a", "b"]);
    expect(outbox.isWritten("a") && outbox.isWritten("b")).toBe(true);
  });

  it("reports an unreadable storage and works without what it held", async () => {
    const errors: unknown[] = [];
    const storage = memoryStorage();
    const outbox = new Outbox({ ...storage, get: () => Promise.reject(new Error("io")) }, "k", (error) =>
      errors.push(error),
    );
    void outbox.add(entry("a"));
    await outbox.whenLoaded();
    expect(errors).toHaveLength(1);
    expect(outbox.isLoaded).toBe(true);
    await Promise.resolve();
    expect(outbox.isWritten("a")).toBe(true);
  });

  it("reports a failing storage and still lets the entry be sent", () => {
    const errors: unknown[] = [];
    const broken: KeyValueStorage = {
      get: () => null,
      set: () => {
        throw new Error("quota exceeded");
      },
      remove: () => undefined,
    };
    const outbox = new Outbox(broken, "k", (error) => errors.push(error));
    void outbox.add(entry("a"));
    expect(errors).toHaveLength(1);
    expect(outbox.isWritten("a")).toBe(true);
  });
});
