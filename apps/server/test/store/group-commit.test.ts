import { describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../../src/store/errors";
import { GroupCommitter, laneOf } from "../../src/store/group-commit";
import type { AppendInput, AppendResult, Store } from "../../src/store/store";

function input(conversationId: string, n: number): AppendInput {
  return {
    id: `m${n}`,
    conversationId,
    senderId: "u",
    clientMsgId: `c${n}`,
    body: { kind: "text", text: `${n}` },
    createdAt: n,
  };
}

/** Conversation ids that fall into lanes 0 and 1 of 2. */
function idsInLanes(): [string, string] {
  const ids = Array.from({ length: 50 }, (_, i) => `conversation-${i}`);
  const zero = ids.find((id) => laneOf(id, 2) === 0);
  const one = ids.find((id) => laneOf(id, 2) === 1);
  if (!zero || !one) throw new Error("50 ids all hashed into one lane");
  return [zero, one];
}

/** A store whose appendMessages calls are held until the test releases them. */
function heldStore() {
  const calls: { batch: readonly AppendInput[]; release: (error?: Error) => void }[] = [];
  const store = {
    appendMessages: (batch: readonly AppendInput[]) =>
      new Promise<AppendResult[]>((resolve, reject) => {
        calls.push({
          batch,
          release: (error) =>
            error ? reject(error) : resolve(batch.map(() => ({ status: "not_found" }) as AppendResult)),
        });
      }),
  } as unknown as Store;
  return { store, calls };
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn++) await new Promise((r) => setImmediate(r));
  if (!condition()) throw new Error("condition not reached within 1000 turns");
}

describe("GroupCommitter lanes", () => {
  it("maps a conversation to the same lane every time, and spreads ids over the lanes", () => {
    const ids = Array.from({ length: 400 }, (_, i) => `c${i}_${(i * 7919) % 1000}`);
    expect(ids.map((id) => laneOf(id, 4))).toEqual(ids.map((id) => laneOf(id, 4)));
    const perLane = [0, 1, 2, 3].map((lane) => ids.filter((id) => laneOf(id, 4) === lane).length);
    for (const count of perLane) expect(count).toBeGreaterThan(50);
  });

  it("runs a transaction in each lane at once, and one lane's later appends wait for its own commit", async () => {
    const [a, b] = idsInLanes();
    const { store, calls } = heldStore();
    const committer = new GroupCommitter(store, { lanes: 2 });
    const first = committer.append(input(a, 1));
    const other = committer.append(input(b, 2));
    await until(() => calls.length === 2);
    // Lane of `a` is busy: its next append waits, lane of `b` was not held up by it.
    const second = committer.append(input(a, 3));
    await new Promise((r) => setImmediate(r));
    expect(calls.length).toBe(2);
    expect(committer.pending).toBe(1);
    calls[1]?.release();
    await other;
    calls[0]?.release();
    await first;
    await until(() => calls.length === 3);
    expect(calls[2]?.batch.map((m) => m.id)).toEqual(["m3"]);
    calls[2]?.release();
    await second;
    await committer.drain();
  });

  it("rejects only the appends of the lane whose transaction failed", async () => {
    const [a, b] = idsInLanes();
    const { store, calls } = heldStore();
    const committer = new GroupCommitter(store, { lanes: 2 });
    const failing = committer.append(input(a, 1));
    const fine = committer.append(input(b, 2));
    await until(() => calls.length === 2);
    const laneOfA = calls.findIndex((c) => c.batch[0]?.conversationId === a);
    calls[laneOfA]?.release(new Error("connection lost"));
    calls[1 - laneOfA]?.release();
    await expect(failing).rejects.toThrow("connection lost");
    await expect(fine).resolves.toEqual({ status: "not_found" });
  });

  it("uses the store's parallelAppends when no lane count is given", async () => {
    const [a, b] = idsInLanes();
    const held = heldStore();
    const store = Object.assign(held.store, { parallelAppends: 2 });
    const committer = new GroupCommitter(store);
    const both = [committer.append(input(a, 1)), committer.append(input(b, 2))];
    await until(() => held.calls.length === 2);
    for (const call of held.calls) call.release();
    await Promise.all(both);
  });
});

/** A store that fails every batch holding a poisoned append (as a row the database refuses would), recording batch sizes. */
function poisonedStore(isPoison: (input: AppendInput) => boolean, error: () => Error) {
  const batches: string[][] = [];
  const store = {
    appendMessages: async (batch: readonly AppendInput[]) => {
      batches.push(batch.map((m) => m.id));
      if (batch.some(isPoison)) throw error();
      return batch.map(
        (m): AppendResult => ({ status: "stored", message: { ...m, seq: Number(m.id.slice(1)) } as never }),
      );
    },
  } as unknown as Store;
  return { store, batches };
}

describe("GroupCommitter with a failing append in a batch", () => {
  it("splits the batch and retries: only the poisoned append fails, the others commit in arrival order", async () => {
    const { store, batches } = poisonedStore(
      (m) => m.clientMsgId === "c5",
      () => new Error("Incorrect string value"),
    );
    const committer = new GroupCommitter(store);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => committer.append(input("c", i))));
    expect(outcomes.map((o) => o.status)).toEqual([
      ...Array(5).fill("fulfilled"),
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    const failed = outcomes[5];
    expect(failed?.status === "rejected" && String(failed.reason)).toContain("Incorrect string value");
    // Every good append committed exactly once, and in arrival order.
    const committed = batches.filter((b) => !b.includes("m5")).flat();
    expect(committed).toEqual(["m0", "m1", "m2", "m3", "m4", "m6", "m7"]);
    // Halving: log2(8) rounds of retries, not one transaction per append.
    expect(batches.length).toBeLessThanOrEqual(1 + 2 * 3);
  });

  it("rejects the whole batch without retrying when the store is unavailable (the client retries)", async () => {
    const { store, batches } = poisonedStore(
      () => true,
      () => new StoreUnavailableError("connection lost"),
    );
    const committer = new GroupCommitter(store);
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => committer.append(input("c", i))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill("rejected"));
    expect(batches).toHaveLength(1);
  });
});
