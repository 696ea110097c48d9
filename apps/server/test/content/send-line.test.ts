import { describe, expect, it } from "vitest";
import { SendLine } from "../../src/chat/send-line";

/** A promise settled from outside, to decide the order in which prepares finish. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("SendLine", () => {
  it("commits one key's sends in arrival order whatever order their prepares finish in", async () => {
    const line = new SendLine();
    const committed: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const sends = gates.map((gate, i) =>
      line.inOrder(
        "alice\nc1",
        () => gate.promise.then(() => i),
        async (n) => {
          committed.push(n);
          return n;
        },
      ),
    );
    // finish last first
    for (const i of [3, 1, 2, 0]) gates[i]?.resolve();
    expect(await Promise.all(sends)).toEqual([0, 1, 2, 3]);
    expect(committed).toEqual([0, 1, 2, 3]);
  });

  it("lets other keys pass while one key waits, and a failed send does not hold its successors", async () => {
    const line = new SendLine();
    const committed: string[] = [];
    const slow = deferred();
    const failing = deferred();
    const commit = async (name: string) => {
      committed.push(name);
      return name;
    };
    const first = line.inOrder("alice\nc1", () => slow.promise.then(() => "a1"), commit);
    const second = line.inOrder("alice\nc1", () => failing.promise.then(() => "a2"), commit);
    const third = line.inOrder("alice\nc1", async () => "a3", commit);
    const other = line.inOrder("bob\nc1", async () => "b1", commit);
    expect(await other).toBe("b1");
    expect(committed).toEqual(["b1"]);
    failing.reject(new Error("content check down"));
    await expect(second).rejects.toThrow("content check down");
    // a3 still waits for a1, which has not been prepared
    expect(committed).toEqual(["b1"]);
    slow.resolve();
    expect(await Promise.all([first, third])).toEqual(["a1", "a3"]);
    expect(committed).toEqual(["b1", "a1", "a3"]);
  });

  it("releases the next send once a commit has been called, not once it finished", async () => {
    const line = new SendLine();
    const slowCommit = deferred<string>();
    const calls: string[] = [];
    const first = line.inOrder(
      "k",
      async () => "one",
      (name) => {
        calls.push(name);
        return slowCommit.promise;
      },
    );
    const second = line.inOrder(
      "k",
      async () => "two",
      async (name) => {
        calls.push(name);
        return name;
      },
    );
    expect(await second).toBe("two");
    expect(calls).toEqual(["one", "two"]);
    slowCommit.resolve("one");
    expect(await first).toBe("one");
  });
});
