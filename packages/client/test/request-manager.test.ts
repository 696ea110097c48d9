import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatError } from "../src/errors";
import { systemTimers } from "../src/ports/timers";
import { RequestManager } from "../src/request-manager";

describe("RequestManager", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resolves a request with the frame that echoes its id", async () => {
    const manager = new RequestManager(systemTimers, 1000);
    const { id, answer } = manager.register("pong");
    expect(manager.settle({ type: "pong", id, serverTime: 5 })).toBe(true);
    await expect(answer).resolves.toEqual({ type: "pong", id, serverTime: 5 });
    expect(manager.size).toBe(0);
  });

  it("rejects with a timeout error after its own timeout, and ignores the late answer", async () => {
    const manager = new RequestManager(systemTimers, 1000);
    const slow = manager.register("pong");
    const fast = manager.register("pong", 200);
    const fastResult = fast.answer.then(
      () => {
        throw new Error("expected a timeout");
      },
      (error: ChatError) => error,
    );
    await vi.advanceTimersByTimeAsync(199);
    expect(manager.size).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await fastResult).code).toBe("timeout");
    expect(manager.size).toBe(1);
    expect(manager.settle({ type: "pong", id: fast.id, serverTime: 1 })).toBe(false);
    const slowResult = slow.answer.catch((error: ChatError) => error);
    await vi.advanceTimersByTimeAsync(800);
    expect(await slowResult).toBeInstanceOf(ChatError);
    expect(((await slowResult) as ChatError).code).toBe("timeout");
  });

  it("rejects with the server's code when the answer is an error frame", async () => {
    const manager = new RequestManager(systemTimers, 1000);
    const { id, answer } = manager.register("ack");
    manager.settle({ type: "error", id, code: "forbidden", message: "not a member" });
    await expect(answer).rejects.toMatchObject({ code: "forbidden", message: "not a member" });
  });

  it("rejects when the answer has the wrong type", async () => {
    const manager = new RequestManager(systemTimers, 1000);
    const { id, answer } = manager.register("ack");
    manager.settle({ type: "ok", id });
    await expect(answer).rejects.toMatchObject({ code: "internal" });
  });

  it("failAll settles every pending request and clears its timer", async () => {
    const manager = new RequestManager(systemTimers, 1000);
    const answers = [manager.register("ack").answer, manager.register("batch").answer];
    manager.failAll(new ChatError("connection_lost", "gone"));
    for (const answer of answers) await expect(answer).rejects.toMatchObject({ code: "connection_lost" });
    expect(manager.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not consume frames without an id or with an unknown id", () => {
    const manager = new RequestManager(systemTimers, 1000);
    manager.register("pong").answer.catch(() => undefined);
    expect(manager.settle({ type: "pong", serverTime: 1 })).toBe(false);
    expect(manager.settle({ type: "ok", id: "999" })).toBe(false);
    expect(manager.size).toBe(1);
  });
});
