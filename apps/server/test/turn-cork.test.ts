import { describe, expect, it } from "vitest";
import { TurnCork } from "../src/gateway/turn-cork";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("TurnCork", () => {
  it("corks once per turn, however many writes, and uncorks after the turn's promise continuations", async () => {
    const calls: string[] = [];
    const cork = new TurnCork({ cork: () => calls.push("cork"), uncork: () => calls.push("uncork") });
    cork.hold();
    cork.hold();
    // A continuation of this turn (like an ack after a commit) is still inside the held window.
    await Promise.resolve().then(() => {
      cork.hold();
      calls.push("write in continuation");
    });
    expect(calls).toEqual(["cork", "write in continuation"]);
    await nextTurn();
    expect(calls).toEqual(["cork", "write in continuation", "uncork"]);
    cork.hold();
    await nextTurn();
    expect(calls).toEqual(["cork", "write in continuation", "uncork", "cork", "uncork"]);
  });
});
